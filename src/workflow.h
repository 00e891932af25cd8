/*
 * workflow: which action may move a ticket from which status, by whom,
 * and what citizens are told about each status.  Pure, unit tested.
 *
 *   new ─classify─▶ classified ─answer─▶ answered ─close─▶ closed
 *                        │                   ▲                │
 *                     forward                │             reopen
 *                        ▼                   │                ▼
 *                    forwarded ─agency_answer─▶ agency_answered   reopened
 *                     │     │
 *              need_info  return ─▶ returned (back to the operator)
 */
#ifndef WORKFLOW_H
#define WORKFLOW_H

#include <stddef.h>

#define WF_OPERATOR	0x01
#define WF_SUPERVISOR	0x02
#define WF_AGENCY	0x04
#define WF_ADMIN	0x08

const char	*workflow_next(const char *status, const char *action, int role);
int		 workflow_known_status(const char *);
const char	*workflow_status_key(size_t);
const char	*workflow_status_vi(const char *status);
const char	*workflow_public_status_vi(const char *status);
const char	*workflow_action_vi(const char *action);
const char	*workflow_level_vi(int level);
const char	*workflow_channel_vi(const char *);
int		 workflow_channel_at(size_t, const char **, const char **);
const char	*workflow_kind_vi(const char *);
int		 workflow_kind_at(size_t, const char **, const char **);
const char	*workflow_close_reason_vi(const char *);
int		 workflow_close_reason_at(size_t, const char **, const char **);

/* A guidance note to the citizen when closing without an answer. */
#define WORKFLOW_GUIDANCE_MIN_CHARS	20

#endif
