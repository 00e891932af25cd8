/*
 * test_workflow.c: the ticket life as a table: who may do what from where.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "workflow.h"

#define STAFF	(WF_OPERATOR | WF_SUPERVISOR | WF_ADMIN)

static void	test_operator_path(void **);
static void	test_agency_path(void **);
static void	test_roles_kept_apart(void **);
static void	test_publish(void **);
static void	test_statuses_listed(void **);

static void
test_operator_path(void **state)
{
	assert_string_equal(workflow_next("new", "classify", WF_OPERATOR),
	    "classified");
	assert_string_equal(workflow_next("classified", "answer", WF_OPERATOR),
	    "answered");
	assert_string_equal(workflow_next("answered", "close", WF_OPERATOR),
	    "closed");
	assert_string_equal(workflow_next("closed", "reopen", WF_OPERATOR),
	    "reopened");
	assert_string_equal(workflow_next("reopened", "forward", WF_OPERATOR),
	    "forwarded");
	assert_string_equal(workflow_next("returned", "forward", WF_OPERATOR),
	    "forwarded");
	assert_string_equal(workflow_next("needs_info", "forward", WF_OPERATOR),
	    "forwarded");
	assert_string_equal(workflow_next("agency_answered", "answer",
	    WF_OPERATOR), "answered");
	/* Nothing leaves "closed" but reopen. */
	assert_null(workflow_next("closed", "answer", WF_OPERATOR));
	assert_null(workflow_next("closed", "forward", WF_OPERATOR));
	assert_null(workflow_next("answered", "answer", WF_OPERATOR));
	assert_null(workflow_next("forwarded", "forward", WF_OPERATOR));
}

static void
test_agency_path(void **state)
{
	assert_string_equal(workflow_next("forwarded", "agency_answer",
	    WF_AGENCY), "agency_answered");
	assert_string_equal(workflow_next("forwarded", "need_info", WF_AGENCY),
	    "needs_info");
	assert_string_equal(workflow_next("forwarded", "return", WF_AGENCY),
	    "returned");
	/* Once answered or returned, the agency's part is over. */
	assert_null(workflow_next("agency_answered", "agency_answer", WF_AGENCY));
	assert_null(workflow_next("needs_info", "agency_answer", WF_AGENCY));
	assert_null(workflow_next("returned", "return", WF_AGENCY));
}

static void
test_roles_kept_apart(void **state)
{
	const char *const staff_only[] = {
		"classify", "answer", "forward", "close", "reopen", "publish",
		"unpublish", NULL
	};
	const char *const statuses[] = {
		"new", "classified", "forwarded", "needs_info", "returned",
		"agency_answered", "answered", "closed", "reopened", NULL
	};
	int	i, j;

	for (i = 0; staff_only[i] != NULL; i++) {
		for (j = 0; statuses[j] != NULL; j++)
			assert_null(workflow_next(statuses[j], staff_only[i],
			    WF_AGENCY));
	}
	assert_null(workflow_next("forwarded", "agency_answer", STAFF));
	assert_null(workflow_next("forwarded", "return", STAFF));
	assert_null(workflow_next("new", "classify", 0));
	assert_null(workflow_next("new", "no-such-action", STAFF));
	assert_null(workflow_next("no-such-status", "classify", STAFF));
}

static void
test_publish(void **state)
{
	assert_string_equal(workflow_next("answered", "publish", WF_OPERATOR),
	    "answered");
	assert_string_equal(workflow_next("closed", "unpublish", WF_SUPERVISOR),
	    "closed");
	assert_null(workflow_next("new", "publish", WF_OPERATOR));
	assert_null(workflow_next("forwarded", "publish", WF_OPERATOR));
	assert_null(workflow_next("reopened", "unpublish", WF_OPERATOR));
}

static void
test_statuses_listed(void **state)
{
	const char	*k;
	size_t		 i;

	for (i = 0; (k = workflow_status_key(i)) != NULL; i++) {
		assert_true(workflow_known_status(k));
		assert_string_not_equal(workflow_status_vi(k), k);
	}
	assert_int_equal(i, 9);
	assert_false(workflow_known_status("deleted"));
	assert_string_equal(workflow_action_vi("agency_answer"),
	    "Cơ quan trả lời");
	/* The history event of a suggested answer used (0064_suggest.sql). */
	assert_string_equal(workflow_action_vi("suggestion"),
	    "Dùng câu trả lời gợi ý");
}

/* Types and close reasons: known keys have words, others none. */
static void
test_kinds_and_reasons(void **state)
{
	const char	*key, *vi;
	size_t		 i;

	(void)state;
	assert_string_equal(workflow_kind_vi("phan_anh"), "Phản ánh");
	assert_null(workflow_kind_vi("phản ánh"));
	assert_null(workflow_kind_vi(NULL));
	for (i = 0; workflow_kind_at(i, &key, &vi); i++)
		assert_string_equal(workflow_kind_vi(key), vi);
	assert_int_equal(i, 4);
	assert_non_null(workflow_close_reason_vi("tham_quyen"));
	assert_null(workflow_close_reason_vi("x"));
	for (i = 0; workflow_close_reason_at(i, &key, &vi); i++)
		assert_string_equal(workflow_close_reason_vi(key), vi);
	assert_int_equal(i, 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_operator_path),
		cmocka_unit_test(test_agency_path),
		cmocka_unit_test(test_roles_kept_apart),
		cmocka_unit_test(test_publish),
		cmocka_unit_test(test_statuses_listed),
		cmocka_unit_test(test_kinds_and_reasons),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
