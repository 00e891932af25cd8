/*
 * chat_forms: the live chat widget's two plain HTTP requests beside its
 * websocket (chat.c):
 *   POST /chat/ngoai-gio  no operator online: the offline form files a
 *                         ticket (channel 'chat') through the one ticket
 *                         path, and the widget shows its code
 *   POST /chat/anh        an image into the visitor's conversation
 */
#include <arpa/inet.h>

#include "app.h"
#include "chat_frame.h"
#include "sniff.h"
#include "ticket.h"
#include "valid.h"

struct chat_image;

static void	offline_free(void *);
static int	image_read(struct web *, struct chat_image *, const char **);
static int	image_write(struct web *);
static void	image_free(void *);

/* The offline form's fields, in the chat's words. */
static const char *const offline_fields[] = {
	"name", "phone", "email", "content", NULL
};
static const struct ticket_form	offline_form = {
	.channel = "chat",
	.key_prefix = "chat",
	.name_required = 0,
	.email = 1,
	.phone_missing = "Vui lòng nhập số điện thoại để chúng tôi liên hệ lại.",
	.phone_invalid = "Số điện thoại không hợp lệ (ví dụ: 0912 345 678).",
	.title_label = "Tiêu đề",
	.content_label = "Nội dung",
};
#define CHAT_OFFLINE_TITLE	"Tin nhắn ngoài giờ qua khung chat"

/*
 * POST /chat/ngoai-gio: no operator is online, the widget's form files a
 * ticket (channel 'chat') through the one ticket path.
 */
enum { OFFLINE_STORE, OFFLINE_REPLY };

static void
offline_free(void *p)
{
	ticket_new_free(p);
	kore_free(p);
}

int
chat_offline_step(struct http_request *req, struct web *w)
{
	struct ticket_new	*t;
	const char		*bad;
	char			 err[256], ip[INET6_ADDRSTRLEN];
	int			 created;

	switch (w->step) {
	case OFFLINE_STORE:
		t = kore_calloc(1, sizeof(*t));
		w->data = t;
		w->data_free = offline_free;
		if (w->body_kind != WEB_BODY_JSON)
			return (web_json(req, 400, json_pack("{s:s}", "error",
			    "Content-Type phải là application/json.")));
		bad = "body";
		if (json_to_form(&w->form, w->body, w->body_len, offline_fields,
		    err, sizeof(err)) == -1 ||
		    form_set(&w->form, "title", CHAT_OFFLINE_TITLE,
		    strlen(CHAT_OFFLINE_TITLE)) != FORM_OK ||
		    ticket_read(w, &offline_form, t, err, sizeof(err), &bad) != 0)
			return (web_json(req, 400, json_pack("{s:s,s:s?}",
			    "error", err, "field", bad)));
		(void)snprintf(t->rate_key, sizeof(t->rate_key), "submit:%s",
		    web_client_ip(req, ip, sizeof(ip)));
		t->rate_max = app.rate_submit;
		ticket_seal(t);
		w->want_errors = 1;
		return (ticket_store(req, w, t));
	case OFFLINE_REPLY:
	default:
		if (strcmp(w->sqlstate, "T1022") == 0) {
			http_response_header(req, "retry-after",
			    TICKET_RATE_WINDOW_SEC);
			return (web_json(req, 429, json_pack("{s:s}", "error",
			    "Bạn đã gửi quá nhiều phản ánh trong thời gian "
			    "ngắn. Vui lòng thử lại sau ít phút hoặc gọi 1022.")));
		}
		if (w->sqlstate[0] != '\0' || web_rows(w, OFFLINE_STORE) != 1)
			return (web_json(req, 500, json_pack("{s:s}", "error",
			    "Chưa lưu được, vui lòng thử lại.")));
		created = web_bool(w, OFFLINE_STORE, 0, "created");
		return (web_json(req, created ? 201 : 200, json_pack(
		    "{s:o,s:b}", "code", json_text(web_val(w, OFFLINE_STORE, 0,
		    "code")), "duplicate", !created)));
	}
}

/*
 * POST /chat/anh (multipart: visitor, cid, name, file): an image in the
 * visitor's conversation, checked as the portal's attachments are (its
 * content, not its name; the upload limit), stored on LANE_DISK, then
 * one statement files the message and its attachment row.  The same cid
 * again is the same message; its file is not kept twice.
 */
enum { IMAGE_READ, IMAGE_FILE, IMAGE_STORE, IMAGE_REPLY };

struct chat_image {
	char		 thread[65];
	char		 ext_id[65 + 1 + CHAT_CID_MAX + 1];
	char		 cid[CHAT_CID_MAX + 1];
	char		 name[CHAT_NAME_MAX_CHARS * 4 + 1];
	char		 mime[32];
	char		 size[16];
	char		 stored[64];
	const char	*ext;
	int		 file;		/* its index in w->form.file */
};

#define CHAT_IMAGES_PER_WINDOW	"20"	/* per address, TICKET_RATE_WINDOW_SEC */

static const char	SQL_IMAGE_RATE[] =
    "SELECT rate_limit_hit($1, " CHAT_IMAGES_PER_WINDOW ", "
    TICKET_RATE_WINDOW_SEC ") AS ok";

/* $1 external id, $2 thread, $3 name, $4 cid, $5 file name, $6 stored, $7 mime, $8 size. */
static const char	SQL_IMAGE[] =
    "WITH r AS (SELECT * FROM message_receive('chat', $1, $2, NULLIF($3, ''), "
    "NULL, '', jsonb_build_object('cid', $4::text, 'image', $5::text))), "
    "a AS (INSERT INTO message_attachments (message_id, stored_name, "
    "original_name, mime, size) SELECT r.message_id, $6, $5, $7, $8::integer "
    "FROM r WHERE r.created RETURNING id) "
    "SELECT r.conversation_id, r.message_id, r.created FROM r";

int
chat_image_step(struct http_request *req, struct web *w)
{
	struct chat_image	*im = w->data;
	const char		*err;
	char			 key[80], ip[INET6_ADDRSTRLEN];

	switch (w->step) {
	case IMAGE_READ:
		im = kore_calloc(1, sizeof(*im));
		w->data = im;
		w->data_free = image_free;
		if (image_read(w, im, &err) == -1)
			return (web_json(req, 400, json_pack("{s:s}", "error",
			    err)));
		(void)snprintf(key, sizeof(key), "chat-image:%s",
		    web_client_ip(req, ip, sizeof(ip)));
		return (web_query(req, w, SQL_IMAGE_RATE, 1, key));
	case IMAGE_FILE:
		if (!web_bool(w, IMAGE_READ, 0, "ok")) {
			http_response_header(req, "retry-after",
			    TICKET_RATE_WINDOW_SEC);
			return (web_json(req, 429, json_pack("{s:s}", "error",
			    "Bạn đã gửi quá nhiều ảnh, vui lòng thử lại sau.")));
		}
		return (web_task(req, w, LANE_DISK, image_write));
	case IMAGE_STORE:
		if (w->task_result != 1)
			return (web_json(req, 500, json_pack("{s:s}", "error",
			    "Chưa lưu được ảnh, vui lòng thử lại.")));
		w->want_errors = 1;
		return (web_query(req, w, SQL_IMAGE, 8, im->ext_id, im->thread,
		    im->name, im->cid, w->form.file[im->file].filename,
		    im->stored, im->mime, im->size));
	case IMAGE_REPLY:
	default:
		if (w->sqlstate[0] != '\0' || web_rows(w, IMAGE_STORE) != 1) {
			upload_unstore(im->stored);
			return (web_json(req, 500, json_pack("{s:s}", "error",
			    "Chưa lưu được ảnh, vui lòng thử lại.")));
		}
		/* The same image sent again: the first one's file is kept. */
		if (!web_bool(w, IMAGE_STORE, 0, "created"))
			upload_unstore(im->stored);
		return (web_json(req, web_bool(w, IMAGE_STORE, 0, "created") ?
		    201 : 200, json_pack("{s:o,s:o}",
		    "id", json_number_text(web_val(w, IMAGE_STORE, 0,
		    "message_id")),
		    "conversation", json_number_text(web_val(w, IMAGE_STORE, 0,
		    "conversation_id")))));
	}
}

/* The form's fields and its one image: 0, or -1 with a message. */
static int
image_read(struct web *w, struct chat_image *im, const char **err)
{
	const char	*v;
	size_t		 len;
	int		 i;

	*err = "Dữ liệu gửi lên không hợp lệ.";
	if (w->body_kind != WEB_BODY_MULTIPART)
		return (-1);
	v = web_arg(w, "visitor", &len);
	if (v == NULL || len < CHAT_VISITOR_MIN || len > CHAT_VISITOR_MAX ||
	    strspn(v, CHAT_TOKEN_CHARS) != len)
		return (-1);
	web_sha256_hex(v, im->thread);
	v = web_arg(w, "cid", &len);
	if (v == NULL || len < 1 || len > CHAT_CID_MAX ||
	    strspn(v, CHAT_TOKEN_CHARS) != len)
		return (-1);
	memcpy(im->cid, v, len + 1);
	(void)snprintf(im->ext_id, sizeof(im->ext_id), "%s:%s", im->thread,
	    im->cid);
	v = web_arg(w, "name", &len);
	if (v != NULL && len > 0) {
		if (strlen(v) != len || len >= sizeof(im->name) ||
		    valid_text(v, len, CHAT_NAME_MAX_CHARS, 0) != VALID_OK) {
			*err = "Tên không hợp lệ.";
			return (-1);
		}
		memcpy(im->name, v, len + 1);
		(void)valid_trim(im->name);
	}

	im->file = -1;
	for (i = 0; i < w->form.nfiles; i++) {
		if (strcmp(w->form.file[i].name, "file") != 0)
			continue;
		if (im->file != -1) {
			*err = "Mỗi lần chỉ gửi một ảnh.";
			return (-1);
		}
		im->file = i;
	}
	*err = "Vui lòng chọn một ảnh.";
	if (im->file == -1 || w->form.file[im->file].len == 0)
		return (-1);
	if (w->form.file[im->file].len > UPLOAD_MAX_BYTES) {
		*err = "Ảnh lớn hơn 5 MB.";
		return (-1);
	}
	v = sniff_upload(w->form.file[im->file].data,
	    w->form.file[im->file].len, &im->ext);
	if (v == NULL || strncmp(v, "image/", 6) != 0) {
		*err = "Tệp không phải ảnh (JPEG, PNG, WebP).";
		return (-1);
	}
	kore_strlcpy(im->mime, v, sizeof(im->mime));
	(void)snprintf(im->size, sizeof(im->size), "%zu",
	    w->form.file[im->file].len);
	v = w->form.file[im->file].filename;
	if (v == NULL || !valid_utf8(v, strlen(v)) || strlen(v) > 255) {
		*err = "Tên tệp không hợp lệ.";
		return (-1);
	}
	return (0);
}

/* On a lane's thread: this request's image to disk.  1, or 0. */
static int
image_write(struct web *w)
{
	struct chat_image	*im = w->data;

	return (upload_store(w->form.file[im->file].data,
	    w->form.file[im->file].len, im->ext, im->stored,
	    sizeof(im->stored)) == 0);
}

static void
image_free(void *p)
{
	kore_free(p);
}
