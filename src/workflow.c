/*
 * workflow: the ticket life of DESIGN.md as a table.  A transition not in
 * the table is refused, whoever asks; the database repeats the check (the
 * UPDATE names the status it expects) so two operators clicking at once
 * cannot both win.
 */
#include <stddef.h>
#include <string.h>

#include "workflow.h"

#define STAFF	(WF_OPERATOR | WF_SUPERVISOR | WF_ADMIN)

static const struct transition {
	const char	*from;
	const char	*action;
	const char	*to;
	int		 roles;
} transitions[] = {
	{ "new",		"classify",	"classified",		STAFF },
	{ "reopened",		"classify",	"classified",		STAFF },
	{ "returned",		"classify",	"classified",		STAFF },
	{ "classified",		"classify",	"classified",		STAFF },
	{ "new",		"answer",	"answered",		STAFF },
	{ "classified",		"answer",	"answered",		STAFF },
	{ "returned",		"answer",	"answered",		STAFF },
	{ "reopened",		"answer",	"answered",		STAFF },
	{ "agency_answered",	"answer",	"answered",		STAFF },
	{ "needs_info",		"answer",	"answered",		STAFF },
	{ "new",		"forward",	"forwarded",		STAFF },
	{ "classified",		"forward",	"forwarded",		STAFF },
	{ "returned",		"forward",	"forwarded",		STAFF },
	{ "reopened",		"forward",	"forwarded",		STAFF },
	{ "needs_info",		"forward",	"forwarded",		STAFF },
	{ "agency_answered",	"forward",	"forwarded",		STAFF },
	{ "forwarded",		"agency_answer", "agency_answered",	WF_AGENCY },
	{ "forwarded",		"need_info",	"needs_info",		WF_AGENCY },
	{ "forwarded",		"return",	"returned",		WF_AGENCY },
	{ "answered",		"close",	"closed",		STAFF },
	{ "agency_answered",	"close",	"closed",		STAFF },
	{ "new",		"close",	"closed",		STAFF },
	{ "classified",		"close",	"closed",		STAFF },
	{ "closed",		"reopen",	"reopened",		STAFF },
	{ "answered",		"reopen",	"reopened",		STAFF },
	/* Publishing changes what the public Q&A shows, not the status. */
	{ "answered",		"publish",	"answered",		STAFF },
	{ "closed",		"publish",	"closed",		STAFF },
	{ "answered",		"unpublish",	"answered",		STAFF },
	{ "closed",		"unpublish",	"closed",		STAFF },
};

static const struct label {
	const char	*key;
	const char	*staff;
	const char	*citizen;
} statuses[] = {
	{ "new",		"Mới tiếp nhận",		"Đã tiếp nhận" },
	{ "classified",		"Đã phân loại",			"Đang xử lý" },
	{ "forwarded",		"Đã chuyển cơ quan",		"Đã chuyển cơ quan chuyên môn xử lý" },
	{ "needs_info",		"Cơ quan cần thêm thông tin",	"Đang xử lý" },
	{ "returned",		"Cơ quan trả lại",		"Đang xử lý" },
	{ "agency_answered",	"Cơ quan đã trả lời",		"Đang xử lý" },
	{ "answered",		"Đã trả lời",			"Đã trả lời" },
	{ "closed",		"Đã đóng",			"Đã hoàn thành" },
	{ "reopened",		"Mở lại",			"Đang xử lý" },
};

static const struct label channels[] = {
	{ "phone",	"Điện thoại 1022",		NULL },
	{ "web",	"Trang web",			NULL },
	{ "email",	"E-mail",			NULL },
	{ "chat",	"Trò chuyện trực tuyến",	NULL },
	{ "zalo",	"Zalo",				NULL },
	{ "facebook",	"Facebook",			NULL },
	{ "open311",	"Open311",			NULL },
	{ "walkin",	"Trực tiếp tại trụ sở",		NULL },
	{ "letter",	"Thư, văn bản",			NULL },
	{ "other",	"Kênh khác",			NULL },
};

static const struct label actions[] = {
	{ "created",		"Tiếp nhận",			NULL },
	{ "classify",		"Phân loại",			NULL },
	{ "answer",		"Trả lời",			NULL },
	{ "forward",		"Chuyển cơ quan",		NULL },
	{ "agency_answer",	"Cơ quan trả lời",		NULL },
	{ "need_info",		"Yêu cầu bổ sung thông tin",	NULL },
	{ "return",		"Trả lại phiếu",		NULL },
	{ "close",		"Đóng phiếu",			NULL },
	{ "reopen",		"Mở lại phiếu",			NULL },
	{ "note",		"Ghi chú nội bộ",		NULL },
	{ "publish",		"Công khai câu trả lời",	NULL },
	{ "unpublish",		"Thôi công khai",		NULL },
	{ "call",		"Cuộc gọi",			NULL },
	{ "notice",		"Thông báo",			NULL },
	{ "suggestion",	"Dùng câu trả lời gợi ý",	NULL },
};

/*
 * A ticket's type (tickets.kind, migrations/0065): the words of the
 * province's decision, fixed, so a CHECK and this table rather than rows.
 */
static const struct label kinds[] = {
	{ "hoi",	"Hỏi",				NULL },
	{ "phan_anh",	"Phản ánh",			NULL },
	{ "kien_nghi",	"Kiến nghị",			NULL },
	{ "khac",	"Khác",				NULL },
};

/* Why a ticket is closed without an answer (tickets.close_reason). */
static const struct label close_reasons[] = {
	{ "tham_quyen",		"Không thuộc thẩm quyền của Tổng đài",	NULL },
	{ "trung",		"Trùng với phiếu khác",			NULL },
	{ "thieu_thong_tin",	"Không đủ thông tin để xử lý",		NULL },
	{ "spam",		"Tin rác, quấy rối",			NULL },
	{ "khac",		"Lý do khác",				NULL },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const char	*label_find(const struct label *, size_t, const char *);
static int		 label_at(const struct label *, size_t, size_t,
			    const char **, const char **);

const char *
workflow_next(const char *status, const char *action, int role)
{
	size_t	i;

	for (i = 0; i < NELEM(transitions); i++) {
		if (strcmp(transitions[i].from, status) == 0 &&
		    strcmp(transitions[i].action, action) == 0 &&
		    (transitions[i].roles & role))
			return (transitions[i].to);
	}
	return (NULL);
}

/* The i-th status key in display order, NULL past the end: for filters. */
const char *
workflow_status_key(size_t i)
{
	return (i < NELEM(statuses) ? statuses[i].key : NULL);
}

int
workflow_known_status(const char *status)
{
	size_t	i;

	for (i = 0; i < NELEM(statuses); i++) {
		if (strcmp(statuses[i].key, status) == 0)
			return (1);
	}
	return (0);
}

const char *
workflow_status_vi(const char *status)
{
	size_t	i;

	for (i = 0; i < NELEM(statuses); i++) {
		if (strcmp(statuses[i].key, status) == 0)
			return (statuses[i].staff);
	}
	return (status);
}

/* Citizens see progress, not the internal back-and-forth. */
const char *
workflow_public_status_vi(const char *status)
{
	size_t	i;

	for (i = 0; i < NELEM(statuses); i++) {
		if (strcmp(statuses[i].key, status) == 0)
			return (statuses[i].citizen);
	}
	return ("Đang xử lý");
}

const char *
workflow_action_vi(const char *action)
{
	size_t	i;

	for (i = 0; i < NELEM(actions); i++) {
		if (strcmp(actions[i].key, action) == 0)
			return (actions[i].staff);
	}
	return (action);
}

const char *
workflow_level_vi(int level)
{
	switch (level) {
	case 1:
		return ("Cấp độ 1 — trả lời ngay");
	case 2:
		return ("Cấp độ 2 — chuyển cơ quan chuyên môn");
	case 3:
		return ("Cấp độ 3 — khẩn cấp");
	default:
		return ("Chưa phân loại");
	}
}

/* Where a contact came from, in words; an unknown key is shown as is. */
const char *
workflow_channel_vi(const char *key)
{
	size_t	i;

	if (key == NULL)
		return ("");
	for (i = 0; i < NELEM(channels); i++) {
		if (strcmp(channels[i].key, key) == 0)
			return (channels[i].staff);
	}
	return (key);
}

/* The i-th channel, for lists; 0 past the end. */
int
workflow_channel_at(size_t i, const char **key, const char **vi)
{
	return (label_at(channels, NELEM(channels), i, key, vi));
}

/* A ticket type's name; NULL for a key that is not one. */
const char *
workflow_kind_vi(const char *key)
{
	return (label_find(kinds, NELEM(kinds), key));
}

/* The i-th ticket type, for lists; 0 past the end. */
int
workflow_kind_at(size_t i, const char **key, const char **vi)
{
	return (label_at(kinds, NELEM(kinds), i, key, vi));
}

/* A close reason's words; NULL for a key that is not one. */
const char *
workflow_close_reason_vi(const char *key)
{
	return (label_find(close_reasons, NELEM(close_reasons), key));
}

/* The i-th close reason, for lists; 0 past the end. */
int
workflow_close_reason_at(size_t i, const char **key, const char **vi)
{
	return (label_at(close_reasons, NELEM(close_reasons), i, key, vi));
}

static const char *
label_find(const struct label *l, size_t n, const char *key)
{
	size_t	i;

	if (key == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		if (strcmp(l[i].key, key) == 0)
			return (l[i].staff);
	}
	return (NULL);
}

/* The i-th of a table of n labels, for lists; 0 past the end. */
static int
label_at(const struct label *l, size_t n, size_t i, const char **key,
    const char **vi)
{
	if (i >= n)
		return (0);
	*key = l[i].key;
	*vi = l[i].staff;
	return (1);
}
