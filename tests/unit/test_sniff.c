/*
 * test_sniff.c: uploads are typed by what they contain.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sniff.h"

#define B(s)	((const unsigned char *)(s)), (sizeof(s) - 1)

/* A real 1x1 RGB PNG. */
static const char	png_1x1[] =
	"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52"
	"\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53"
	"\xde\x00\x00\x00\x0c\x49\x44\x41\x54\x78\x9c\x63\xf8\xcf\xc0\x00"
	"\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00\x49\x45\x4e"
	"\x44\xae\x42\x60\x82";

/* Real 1x1 WebP files: lossy, lossless, extended with alpha. */
static const char	webp_lossy[] =
	"\x52\x49\x46\x46\x22\x00\x00\x00\x57\x45\x42\x50\x56\x50\x38\x20"
	"\x16\x00\x00\x00\x30\x01\x00\x9d\x01\x2a\x01\x00\x01\x00\x0e\xc0"
	"\xfe\x25\xa4\x00\x03\x70\x00\x00\x00\x00";
static const char	webp_lossless[] =
	"\x52\x49\x46\x46\x1a\x00\x00\x00\x57\x45\x42\x50\x56\x50\x38\x4c"
	"\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe"
	"\x07\x00";
static const char	webp_alpha[] =
	"\x52\x49\x46\x46\x4a\x00\x00\x00\x57\x45\x42\x50\x56\x50\x38\x58"
	"\x0a\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00\x41\x4c"
	"\x50\x48\x0c\x00\x00\x00\x11\x07\x10\x11\xfd\x0f\x44\x44\xff\x03"
	"\x00\x00\x56\x50\x38\x20\x18\x00\x00\x00\x14\x01\x00\x9d\x01\x2a"
	"\x01\x00\x01\x00\x00\x00\xfe\x00\x00\x0d\xc0\x00\xfe\xe6\xb5\x00"
	"\x00\x00";

/* JFIF and Exif headers as cameras and phones write them. */
static const char	jpeg_jfif[] =
	"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
	"\xff\xdb\x00\x43\x00\x08\x06\x06\x07\x06\x05\x08\x07\x07\x07\x09"
	"\xff\xd9";
static const char	jpeg_exif[] =
	"\xff\xd8\xff\xe1\x00\x16" "Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08"
	"\x00\x00\x00\x00\xff\xd9";
static const char	jpeg_dqt[] =
	"\xff\xd8\xff\xdb\x00\x04\x00\x01\xff\xd9";

static const char	pdf_min[] =
	"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
	"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
	"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
	"trailer << /Root 1 0 R >>\n%%EOF\n";

static void	assert_type(const unsigned char *, size_t, const char *,
		    const char *);
static void	assert_rejected(const unsigned char *, size_t);
static void	assert_prefixes_safe(const char *, size_t);

static void
assert_type(const unsigned char *buf, size_t len, const char *type,
    const char *ext)
{
	const char	*e;

	e = "unset";
	assert_string_equal(sniff_upload(buf, len, &e), type);
	assert_string_equal(e, ext);
	assert_string_equal(sniff_upload(buf, len, NULL), type);
}

static void
assert_rejected(const unsigned char *buf, size_t len)
{
	const char	*e;

	e = "unset";
	assert_null(sniff_upload(buf, len, &e));
	assert_null(e);
}

/* Every truncation is handled without reading past the end. */
static void
assert_prefixes_safe(const char *data, size_t len)
{
	unsigned char	*copy;
	size_t		 n;

	for (n = 0; n <= len; n++) {
		/* An exact-size heap copy so ASan sees any overread. */
		copy = malloc(n ? n : 1);
		assert_non_null(copy);
		memcpy(copy, data, n);
		(void)sniff_upload(copy, n, NULL);
		free(copy);
	}
}

static void
test_accepts_real_files(void **state)
{
	(void)state;
	assert_type(B(png_1x1), "image/png", "png");
	assert_type(B(webp_lossy), "image/webp", "webp");
	assert_type(B(webp_lossless), "image/webp", "webp");
	assert_type(B(webp_alpha), "image/webp", "webp");
	assert_type(B(jpeg_jfif), "image/jpeg", "jpg");
	assert_type(B(jpeg_exif), "image/jpeg", "jpg");
	assert_type(B(jpeg_dqt), "image/jpeg", "jpg");
	assert_type(B(pdf_min), "application/pdf", "pdf");
	assert_type(B("%PDF-2.0\n1 0 obj\nendobj\n%%EOF"), "application/pdf",
	    "pdf");
	assert_type(B("%PDF-1.7\n...\n%%EOF\r\n\r\n  \n"), "application/pdf",
	    "pdf");
}

static void
test_rejects_markup(void **state)
{
	(void)state;
	assert_rejected(B("<!DOCTYPE html><html><script>alert(1)</script>"));
	assert_rejected(B("<html><body onload=alert(1)>"));
	assert_rejected(B("<?xml version=\"1.0\"?><svg xmlns="
	    "\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"));
	assert_rejected(B("<svg><script>alert(1)</script></svg>"));
	assert_rejected(B("\xef\xbb\xbf<svg/onload=alert(1)>"));
	assert_rejected(B("GIF89a\x01\x00\x01\x00\x00\x00\x00;"));
	assert_rejected(B("PK\x03\x04\x14\x00\x00\x00\x08\x00"));
	assert_rejected(B("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00"));
	assert_rejected(B("\x7f" "ELF\x02\x01\x01\x00\x00\x00\x00\x00"));
	assert_rejected(B("Xin chào, đây là văn bản thường."));
}

static void
test_rejects_fake_png(void **state)
{
	unsigned char	buf[sizeof(png_1x1)];

	(void)state;
	/* The signature followed by markup. */
	assert_rejected(B("\x89PNG\r\n\x1a\n<html><script>alert(1)</script>"
	    "</html>"));
	/* Signature and IHDR but a wrong CRC. */
	memcpy(buf, png_1x1, sizeof(buf));
	buf[29] ^= 1;
	assert_rejected(buf, sizeof(buf) - 1);
	/* Zero width; then an invalid colour type / depth pair. */
	memcpy(buf, png_1x1, sizeof(buf));
	buf[19] = 0;
	assert_rejected(buf, sizeof(buf) - 1);
	memcpy(buf, png_1x1, sizeof(buf));
	buf[24] = 4;			/* RGB at 4 bits */
	assert_rejected(buf, sizeof(buf) - 1);
	memcpy(buf, png_1x1, sizeof(buf));
	buf[25] = 5;			/* no colour type 5 */
	assert_rejected(buf, sizeof(buf) - 1);
	/* IHDR not first. */
	memcpy(buf, png_1x1, sizeof(buf));
	memcpy(buf + 12, "IDAT", 4);
	assert_rejected(buf, sizeof(buf) - 1);
	/* Truncated inside IHDR. */
	assert_rejected((const unsigned char *)png_1x1, 32);
	assert_type((const unsigned char *)png_1x1, 33, "image/png", "png");
}

static void
test_rejects_fake_jpeg(void **state)
{
	(void)state;
	assert_rejected(B("\xff\xd8"));
	assert_rejected(B("\xff\xd8\xff"));
	assert_rejected(B("\xff\xd8\xff\x00\x00\x10<html>"));
	assert_rejected(B("\xff\xd8\xff\xd9\x00\x02"));
	assert_rejected(B("\xff\xd8\xff\xff\x00\x02"));
	assert_rejected(B("\xff\xd8<script>alert(1)</script>"));
	/* A segment that claims more bytes than there are. */
	assert_rejected(B("\xff\xd8\xff\xe1\x40\x00" "Exif\x00\x00"));
	assert_rejected(B("\xff\xd8\xff\xdb\x00\x01\x00\x00"));
	/* APP0 that is not JFIF. */
	assert_rejected(B("\xff\xd8\xff\xe0\x00\x10<html><body>\x00\x00"
	    "\x00"));
}

static void
test_rejects_fake_webp(void **state)
{
	unsigned char	buf[sizeof(webp_lossy)];

	(void)state;
	assert_rejected(B("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00"
	    "\x01\x00\x01\x00\x44\xac\x00\x00\x88\x58\x01\x00"));
	assert_rejected(B("RIFF\x22\x00\x00\x00WEBP<svg onload=alert(1)>"
	    "             "));
	/* RIFF size larger than the upload: truncated. */
	memcpy(buf, webp_lossy, sizeof(buf));
	buf[4] = 0x40;
	assert_rejected(buf, sizeof(buf) - 1);
	assert_rejected((const unsigned char *)webp_lossy,
	    sizeof(webp_lossy) - 2);
	/* Lossy chunk without the VP8 start code. */
	memcpy(buf, webp_lossy, sizeof(buf));
	buf[23] = 0;
	assert_rejected(buf, sizeof(buf) - 1);
	/* Lossless chunk without its signature byte. */
	{
		unsigned char	l[sizeof(webp_lossless)];

		memcpy(l, webp_lossless, sizeof(l));
		l[20] = 0x2e;
		assert_rejected(l, sizeof(l) - 1);
	}
	/* Unknown codec. */
	memcpy(buf, webp_lossy, sizeof(buf));
	memcpy(buf + 12, "VP9 ", 4);
	assert_rejected(buf, sizeof(buf) - 1);
}

static void
test_rejects_fake_pdf(void **state)
{
	unsigned char	*big;
	size_t		 n;

	(void)state;
	assert_rejected(B("%PDF-1.4\n1 0 obj\nendobj\n"));
	assert_rejected(B("%PDF-3.0\n1 0 obj\nendobj\n%%EOF"));
	assert_rejected(B("%PDF-1.9\n1 0 obj\nendobj\n%%EOF"));
	assert_rejected(B("%PDF-\n%%EOF"));
	assert_rejected(B("<html>%PDF-1.4\n1 0 obj\nendobj\n%%EOF"));
	assert_rejected(B("  %PDF-1.4\n1 0 obj\nendobj\n%%EOF"));

	/* The trailer must be near the end, not followed by a payload. */
	n = 4096;
	big = malloc(n);
	assert_non_null(big);
	memset(big, ' ', n);
	memcpy(big, "%PDF-1.5\n%%EOF\n", 15);
	assert_rejected(big, n);
	memcpy(big + n - 6, "%%EOF\n", 6);
	assert_type(big, n, "application/pdf", "pdf");
	memcpy(big + n - 6, "<html>", 6);
	memcpy(big + n - 1030, "%%EOF\n", 6);
	assert_rejected(big, n);
	free(big);
}

static void
test_bad_buffers(void **state)
{
	uint64_t	 s;
	unsigned char	 buf[64];
	size_t		 i;
	int		 k;

	(void)state;
	assert_rejected(NULL, 0);
	assert_rejected(NULL, 100);
	assert_rejected(B(""));
	assert_rejected(B("\xff"));

	assert_prefixes_safe(png_1x1, sizeof(png_1x1) - 1);
	assert_prefixes_safe(webp_lossy, sizeof(webp_lossy) - 1);
	assert_prefixes_safe(webp_lossless, sizeof(webp_lossless) - 1);
	assert_prefixes_safe(webp_alpha, sizeof(webp_alpha) - 1);
	assert_prefixes_safe(jpeg_jfif, sizeof(jpeg_jfif) - 1);
	assert_prefixes_safe(pdf_min, sizeof(pdf_min) - 1);

	/* Random bytes behind each magic number. */
	s = 0x5eed;
	for (k = 0; k < 20000; k++) {
		for (i = 0; i < sizeof(buf); i++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			buf[i] = (unsigned char)s;
		}
		switch (k % 4) {
		case 0:
			memcpy(buf, "\x89PNG\r\n\x1a\n\x00\x00\x00\x0d"
			    "IHDR", 16);
			break;
		case 1:
			memcpy(buf, "\xff\xd8\xff", 3);
			break;
		case 2:
			memcpy(buf, "RIFF", 4);
			memcpy(buf + 8, "WEBPVP8", 7);
			break;
		default:
			memcpy(buf, "%PDF-1.4", 8);
			break;
		}
		(void)sniff_upload(buf, (size_t)(s % sizeof(buf)), NULL);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_real_files),
		cmocka_unit_test(test_rejects_markup),
		cmocka_unit_test(test_rejects_fake_png),
		cmocka_unit_test(test_rejects_fake_jpeg),
		cmocka_unit_test(test_rejects_fake_webp),
		cmocka_unit_test(test_rejects_fake_pdf),
		cmocka_unit_test(test_bad_buffers),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
