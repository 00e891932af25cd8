/*
 * test_mail.c: mail as it arrives (Outlook, Gmail, windows-1258, encoded
 * headers, bounces, autoresponders, lists, broken MIME) read into what
 * the inbox stores, and an answer built for SMTP.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gmime/gmime.h>

#include "mail.h"

#define RAW(s)	(s), (sizeof(s) - 1)

static const struct mail_limits	lim = { 1024 * 1024, 5 * 1024 * 1024, 3 };

/* Outlook-shaped: multipart/alternative, QP UTF-8 subject, both parts. */
static const char outlook[] =
    "Return-Path: <an.nguyen@example.vn>\r\n"
    "From: =?utf-8?Q?Nguy=E1=BB=85n_V=C4=83n_An?= <An.Nguyen@Example.VN>\r\n"
    "To: <tongdai@dongthap.gov.vn>\r\n"
    "Subject: =?utf-8?Q?Ph=E1=BA=A3n_=C3=A1nh_=C4=91=C3=A8n_?=\r\n"
    " =?utf-8?Q?=C4=91=C6=B0=E1=BB=9Dng?=\r\n"
    "Message-ID: <AM0PR01MB1234@outlook.example>\r\n"
    "In-Reply-To: <ack-1@tongdai.example>\r\n"
    "References: <first@example.vn> <ack-1@tongdai.example>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/alternative; boundary=\"_000_B\"\r\n"
    "\r\n"
    "--_000_B\r\n"
    "Content-Type: text/plain; charset=\"utf-8\"\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "=C4=90=C3=A8n h=E1=BB=8Fng =E1=BB=9F ng=C3=B5 5.\r\n"
    "--_000_B\r\n"
    "Content-Type: text/html; charset=\"utf-8\"\r\n"
    "\r\n"
    "<p>HTML that must not win</p>\r\n"
    "--_000_B--\r\n";

/* Gmail-shaped: base64 subject, HTML only, a script, entities, a PNG. */
static const char gmail_html[] =
    "From: \"Trần Thị Bình\" <binh@gmail.example>\r\n"
    "Subject: =?UTF-8?B?SOG7j2kgduG7gSBo4buZIGNoaeG6v3U=?=\r\n"
    "Message-ID: <CAF=abc@mail.gmail.example>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"000mixed\"\r\n"
    "\r\n"
    "--000mixed\r\n"
    "Content-Type: text/html; charset=\"UTF-8\"\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "<html><head><style>p{color:red}</style><script>alert('x<y')</script>"
    "</head><body><div dir=3D\"ltr\">Xin ch=C3=A0o &amp; c=E1=BA=A3m =C6=A1n"
    "<br>H&#7891; s=C6=A1 &lt;A&gt;&nbsp;&#x110;&#417;n<!-- hidden --></div>"
    "</body></html>\r\n"
    "--000mixed\r\n"
    "Content-Type: image/png; name=\"a/nh.png\"\r\n"
    "Content-Disposition: attachment; filename=\"a/nh.png\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC\r\n"
    "--000mixed\r\n"
    "Content-Type: application/x-msdownload; name=\"virus.exe\"\r\n"
    "Content-Disposition: attachment; filename=\"virus.exe\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "TVqQAAMAAAAEAAAA\r\n"
    "--000mixed--\r\n";

/* An old Vietnamese mailer: windows-1258 body, QP windows-1258 subject. */
static const char cp1258[] =
    "From: dan@example.vn\r\n"
    "Subject: =?windows-1258?Q?T=F4=D2ng_=F0a=CCi?=\r\n"
    "Message-ID: <old-1258@example.vn>\r\n"
    "Content-Type: text/plain; charset=windows-1258\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "\xd0\xfd\xf5\xccng ng\xe2\xf2p n\xfd\xf5\xec" "c\r\n";

static const char bounce[] =
    "Return-Path: <>\r\n"
    "From: Mail Delivery System <MAILER-DAEMON@mx.example>\r\n"
    "Subject: Undelivered Mail Returned to Sender\r\n"
    "Message-ID: <bounce-1@mx.example>\r\n"
    "Content-Type: multipart/report; report-type=delivery-status;"
    " boundary=\"rep\"\r\n"
    "\r\n"
    "--rep\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "I'm sorry to have to inform you\r\n"
    "--rep\r\n"
    "Content-Type: message/delivery-status\r\n"
    "\r\n"
    "Reporting-MTA: dns; mx.example\r\n"
    "--rep--\r\n";

static const char autoreply[] =
    "From: Vacation <someone@example.vn>\r\n"
    "Subject: Out of office\r\n"
    "Auto-Submitted: auto-replied (vacation)\r\n"
    "Message-ID: <ooo-1@example.vn>\r\n"
    "\r\n"
    "I am away.\r\n";

static const char not_auto[] =
    "From: someone@example.vn\r\n"
    "Subject: hi\r\n"
    "Auto-Submitted: no\r\n"
    "\r\n"
    "Hello.\r\n";

static const char list[] =
    "From: news@list.example\r\n"
    "Subject: [news] weekly\r\n"
    "List-Id: News <news.list.example>\r\n"
    "Message-ID: <list-1@list.example>\r\n"
    "\r\n"
    "Weekly.\r\n";

static const char precedence[] =
    "From: bulk@example.vn\r\n"
    "Precedence: bulk\r\n"
    "\r\n"
    "Spam.\r\n";

/* A boundary that never comes, binary junk in headers, no From. */
static const char broken_no_from[] =
    "Subject: \x01\x02\r\n"
    "Content-Type: multipart/mixed; boundary=\"never\"\r\n"
    "\r\n"
    "garbage\r\n";

static const char broken_multipart[] =
    "From: x@example.vn\r\n"
    "Subject: broken\r\n"
    "Content-Type: multipart/mixed; boundary=\"never\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "--other\r\n"
    "garbage \xff\xfe text\r\n";

static void
test_outlook_alternative(void **state)
{
	struct mail	m;

	assert_int_equal(mail_parse(RAW(outlook), &lim, &m), 0);
	assert_string_equal(m.from, "an.nguyen@example.vn");
	assert_string_equal(m.name, "Nguyễn Văn An");
	assert_string_equal(m.subject, "Phản ánh đèn đường");
	assert_string_equal(m.message_id, "AM0PR01MB1234@outlook.example");
	assert_string_equal(m.in_reply_to, "ack-1@tongdai.example");
	assert_int_equal(m.nrefs, 2);
	assert_string_equal(m.refs[0], "first@example.vn");
	assert_string_equal(m.refs[1], "ack-1@tongdai.example");
	assert_string_equal(m.text, "Đèn hỏng ở ngõ 5.");
	assert_int_equal(m.from_html, 0);
	assert_int_equal(m.origin, MAIL_PERSON);
	assert_int_equal(m.nfiles, 0);
	mail_free(&m);
}

static void
test_gmail_html_files(void **state)
{
	struct mail	m;

	assert_int_equal(mail_parse(RAW(gmail_html), &lim, &m), 0);
	assert_string_equal(m.name, "Trần Thị Bình");
	assert_string_equal(m.subject, "Hỏi về hộ chiếu");
	assert_int_equal(m.from_html, 1);
	assert_string_equal(m.text, "Xin chào & cảm ơn\nHồ sơ <A> Đơn");
	assert_null(strstr(m.text, "alert"));
	assert_null(strstr(m.text, "color"));
	assert_null(strstr(m.text, "hidden"));
	assert_int_equal(m.nfiles, 2);
	assert_string_equal(m.files[0].name, "a_nh.png");
	assert_string_equal(m.files[0].mime, "image/png");
	assert_non_null(m.files[0].data);
	assert_null(m.files[0].refused);
	assert_string_equal(m.files[1].name, "virus.exe");
	assert_null(m.files[1].data);
	assert_non_null(m.files[1].refused);
	mail_free(&m);
}

static void
test_file_limits(void **state)
{
	struct mail		m;
	struct mail_limits	small = { 1024 * 1024, 10, 3 }, none = { 1024 * 1024,
				    5 * 1024 * 1024, 0 };

	assert_int_equal(mail_parse(RAW(gmail_html), &small, &m), 0);
	assert_null(m.files[0].data);
	assert_string_equal(m.files[0].refused, "Tệp lớn hơn giới hạn cho phép.");
	mail_free(&m);
	assert_int_equal(mail_parse(RAW(gmail_html), &none, &m), 0);
	assert_null(m.files[0].data);
	assert_non_null(m.files[0].refused);
	mail_free(&m);
}

static void
test_windows_1258(void **state)
{
	struct mail	m;

	assert_int_equal(mail_parse(RAW(cp1258), &lim, &m), 0);
	assert_string_equal(m.subject, "Tổng đài");
	assert_string_equal(m.text, "Đường ngập nước");
	mail_free(&m);
}

static void
test_origins(void **state)
{
	struct mail	m;

	assert_int_equal(mail_parse(RAW(bounce), &lim, &m), 0);
	assert_int_equal(m.origin, MAIL_BOUNCE);
	assert_string_equal(m.text, "I'm sorry to have to inform you");
	mail_free(&m);
	assert_int_equal(mail_parse(RAW(autoreply), &lim, &m), 0);
	assert_int_equal(m.origin, MAIL_AUTOREPLY);
	mail_free(&m);
	assert_int_equal(mail_parse(RAW(not_auto), &lim, &m), 0);
	assert_int_equal(m.origin, MAIL_PERSON);
	mail_free(&m);
	assert_int_equal(mail_parse(RAW(list), &lim, &m), 0);
	assert_int_equal(m.origin, MAIL_BULK);
	mail_free(&m);
	assert_int_equal(mail_parse(RAW(precedence), &lim, &m), 0);
	assert_int_equal(m.origin, MAIL_BULK);
	mail_free(&m);
}

static void
test_broken(void **state)
{
	struct mail		m;
	struct mail_limits	tiny = { 16, 16, 1 };

	assert_int_equal(mail_parse(RAW(broken_no_from), &lim, &m), MAIL_E_FROM);
	assert_string_equal(mail_error(MAIL_E_FROM),
	    "Thư không có địa chỉ người gửi hợp lệ.");
	assert_int_equal(mail_parse(RAW("\x00\x01\x02garbage"), &lim, &m),
	    MAIL_E_MIME);
	assert_int_equal(mail_parse("", 0, &lim, &m), MAIL_E_MIME);
	assert_int_equal(mail_parse(RAW(outlook), &tiny, &m), MAIL_E_SIZE);
	/* What can be read of a broken one is kept, with an id of its own. */
	assert_int_equal(mail_parse(RAW(broken_multipart), &lim, &m), 0);
	assert_string_equal(m.from, "x@example.vn");
	assert_non_null(strstr(m.message_id, "@no-message-id.invalid"));
	assert_non_null(m.text);
	mail_free(&m);
}

/* A thread of 30 mails: the newest MAIL_REFS_MAX ids are kept. */
static void
test_refs_bounded(void **state)
{
	struct mail	 m;
	char		 raw[4096];
	size_t		 n;
	int		 i;

	n = (size_t)snprintf(raw, sizeof(raw), "From: a@example.vn\r\n"
	    "Subject: \x1b[31mred\x07 bell\r\nReferences:");
	for (i = 0; i < 30; i++)
		n += (size_t)snprintf(raw + n, sizeof(raw) - n, " <r%d@x.vn>", i);
	n += (size_t)snprintf(raw + n, sizeof(raw) - n, "\r\n\r\nbody\r\n");
	assert_int_equal(mail_parse(raw, n, &lim, &m), 0);
	assert_int_equal(m.nrefs, MAIL_REFS_MAX);
	assert_string_equal(m.refs[0], "r10@x.vn");
	assert_string_equal(m.refs[MAIL_REFS_MAX - 1], "r29@x.vn");
	assert_string_equal(m.subject, "[31mred bell");	/* no control byte */
	assert_int_equal(m.origin, MAIL_PERSON);
	mail_free(&m);
}

static void
test_subject_code(void **state)
{
	char	code[16];

	assert_int_equal(mail_subject_code("Re: [2611-K7M3Q9XP] Đèn", code,
	    sizeof(code)), 0);
	assert_string_equal(code, "2611-K7M3Q9XP");
	assert_int_equal(mail_subject_code("Mã 2611 k7m3q9xp nhé", code,
	    sizeof(code)), 0);
	assert_string_equal(code, "2611-K7M3Q9XP");
	assert_int_equal(mail_subject_code("Số 12345-K7M3Q9XP", code,
	    sizeof(code)), -1);
	assert_int_equal(mail_subject_code("2611-K7M3Q9XPZ", code,
	    sizeof(code)), -1);
	assert_int_equal(mail_subject_code("no code", code, sizeof(code)), -1);
}

static void
test_html_text(void **state)
{
	char	*t;

	t = mail_html_text(RAW("<p>a</p><p>b</p><p></p><p></p><p>c</p>x < y "
	    "&bogus; &#0; <img src=\"a>b\">z"));
	assert_string_equal(t, "a\n\nb\n\nc\nx < y &bogus; &#0; z");
	free(t);
	t = mail_html_text(RAW("<script>never"));
	assert_string_equal(t, "");
	free(t);
}

static void
test_build(void **state)
{
	struct mail_out	 o = { "tongdai@dongthap.example", "Tổng đài 1022",
			    "an@example.vn", "Re: Phản ánh", "Đã nhận.\nCảm ơn.",
			    "abc@dongthap.example", "orig@example.vn",
			    "<orig@example.vn>", 1, NULL, 0 };
	struct mail	 m;
	char		*s;
	size_t		 len;

	assert_non_null(s = mail_build(&o, &len));
	assert_non_null(strstr(s, "Message-Id: <abc@dongthap.example>\r\n"));
	assert_non_null(strstr(s, "In-Reply-To: <orig@example.vn>\r\n"));
	assert_non_null(strstr(s, "References: <orig@example.vn>\r\n"));
	assert_non_null(strstr(s, "Auto-Submitted: auto-replied\r\n"));
	assert_non_null(strstr(s, "Content-Transfer-Encoding: quoted-printable"));
	assert_non_null(strstr(s, "charset=utf-8"));
	assert_null(strstr(s, "Phản"));		/* encoded, never raw */
	/* And it reads back as it was meant. */
	assert_int_equal(mail_parse(s, len, &lim, &m), 0);
	assert_string_equal(m.subject, "Re: Phản ánh");
	assert_string_equal(m.name, "Tổng đài 1022");
	assert_string_equal(m.text, "Đã nhận.\nCảm ơn.");
	assert_int_equal(m.origin, MAIL_AUTOREPLY);
	mail_free(&m);
	free(s);

	o.subject = "x\r\nBcc: evil@example.vn";
	assert_null(mail_build(&o, &len));
}

/* Count the attachments of a parsed message, keeping the last one. */
static void
find_file(GMimeObject *parent, GMimeObject *part, gpointer arg)
{
	GMimeObject	**last = arg;

	(void)parent;
	if (GMIME_IS_PART(part) && g_mime_part_is_attachment(GMIME_PART(part)))
		*last = part;
}

static void
test_build_attachment(void **state)
{
	static const char	 xtype[] = "application/"
				    "vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	unsigned char		 bytes[3000];
	struct mail_attach	 f = { "Báo cáo 6 tháng đầu năm 2026.xlsx", xtype,
				    bytes, sizeof(bytes) };
	struct mail_out		 o = { "tongdai@dongthap.example", "Tổng đài 1022",
				    "lanhdao@dongthap.example", "Báo cáo định kỳ",
				    "Kính gửi lãnh đạo.", "r1@dongthap.example",
				    NULL, NULL, 0, &f, 1 };
	GMimeStream		*stream;
	GMimeParser		*parser;
	GMimeMessage		*msg;
	GMimeObject		*top, *file = NULL;
	GMimeContentType	*ct;
	GByteArray		*out;
	GMimeStream		*mem;
	struct mail		 m;
	char			*s, *mime;
	size_t			 len, i;

	(void)state;
	for (i = 0; i < sizeof(bytes); i++)
		bytes[i] = (unsigned char)(i * 7 + i / 256);
	assert_non_null(s = mail_build(&o, &len));
	assert_non_null(strstr(s, "multipart/mixed"));
	assert_non_null(strstr(s, "Content-Transfer-Encoding: base64"));
	assert_non_null(strstr(s, "filename*0*=UTF-8''B%C3%A1o"));
	assert_null(strstr(s, "Báo cáo 6"));	/* encoded, never raw */

	/* Parsed back: a text part and the workbook, its name and bytes. */
	stream = g_mime_stream_mem_new_with_buffer(s, len);
	parser = g_mime_parser_new_with_stream(stream);
	msg = g_mime_parser_construct_message(parser, NULL);
	assert_non_null(msg);
	top = g_mime_message_get_mime_part(msg);
	assert_true(GMIME_IS_MULTIPART(top));
	assert_int_equal(g_mime_multipart_get_count(GMIME_MULTIPART(top)), 2);
	g_mime_message_foreach(msg, find_file, &file);
	assert_non_null(file);
	ct = g_mime_object_get_content_type(file);
	mime = g_mime_content_type_get_mime_type(ct);
	assert_string_equal(mime, xtype);
	g_free(mime);
	assert_string_equal(g_mime_part_get_filename(GMIME_PART(file)),
	    "Báo cáo 6 tháng đầu năm 2026.xlsx");
	out = g_byte_array_new();
	mem = g_mime_stream_mem_new_with_byte_array(out);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	assert_true(g_mime_data_wrapper_write_to_stream(
	    g_mime_part_get_content(GMIME_PART(file)), mem) >= 0);
	assert_int_equal(out->len, sizeof(bytes));
	assert_memory_equal(out->data, bytes, sizeof(bytes));
	g_object_unref(mem);
	g_byte_array_free(out, TRUE);
	g_object_unref(msg);
	g_object_unref(parser);
	g_object_unref(stream);

	/* The inbox's own reader sees the text. */
	assert_int_equal(mail_parse(s, len, &lim, &m), 0);
	assert_string_equal(m.text, "Kính gửi lãnh đạo.");
	mail_free(&m);
	free(s);

	/* A short name fits one parameter, in UTF-8 all the same. */
	f.name = "Báo cáo năm 2025.xlsx";
	assert_non_null(s = mail_build(&o, &len));
	assert_non_null(strstr(s, "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20n%C4%83m"
	    "%202025.xlsx"));
	free(s);

	/* Names and types that cannot go out. */
	f.name = "../x.xlsx";
	assert_null(mail_build(&o, &len));
	f.name = "a\r\nb.xlsx";
	assert_null(mail_build(&o, &len));
	f.name = "x.xlsx";
	f.mime = "application";
	assert_null(mail_build(&o, &len));
	f.mime = xtype;
	o.nfiles = MAIL_ATTACH_MAX + 1;
	assert_null(mail_build(&o, &len));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outlook_alternative),
		cmocka_unit_test(test_gmail_html_files),
		cmocka_unit_test(test_file_limits),
		cmocka_unit_test(test_windows_1258),
		cmocka_unit_test(test_origins),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_refs_bounded),
		cmocka_unit_test(test_subject_code),
		cmocka_unit_test(test_html_text),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_build_attachment),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
