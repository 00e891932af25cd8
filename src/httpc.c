/*
 * httpc: one HTTP request to a provider (Zalo, Facebook, an SMS gateway)
 * with libcurl, on a sender thread, never on the event loop.  Bounded:
 * a reply larger than HTTPC_REPLY_MAX is cut off as an error, and a
 * provider that does not answer in HTTPC_TIMEOUT_SEC is given up on.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "outbox.h"

static size_t	httpc_collect(char *, size_t, size_t, void *);
static int	httpc_progress(void *, curl_off_t, curl_off_t, curl_off_t,
		    curl_off_t);

volatile int	httpc_stop;

/*
 * method "GET" or "POST"; headers a NULL-terminated list or NULL.  0 when
 * the provider answered (whatever its status), -1 when it could not be
 * reached; reply->error says why.
 */
int
httpc_request(const char *method, const char *url, const char *const *headers,
    const char *body, size_t body_len, struct httpc_reply *reply)
{
	return (httpc_request_with(method, url, headers, body, body_len, NULL,
	    reply));
}

/*
 * httpc_request() with a shorter timeout (a lookup a person waits for)
 * or basic authentication; opt NULL is httpc_request().
 */
int
httpc_request_with(const char *method, const char *url,
    const char *const *headers, const char *body, size_t body_len,
    const struct httpc_options *opt, struct httpc_reply *reply)
{
	CURL			*curl;
	struct curl_slist	*list = NULL, *l;
	CURLcode		 rc;
	size_t			 i;

	memset(reply, 0, sizeof(*reply));
	if ((curl = curl_easy_init()) == NULL) {
		(void)snprintf(reply->error, sizeof(reply->error),
		    "libcurl could not start");
		return (-1);
	}
	for (i = 0; headers != NULL && headers[i] != NULL; i++) {
		if ((l = curl_slist_append(list, headers[i])) == NULL)
			break;
		list = l;
	}
	(void)curl_easy_setopt(curl, CURLOPT_URL, url);
	(void)curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	(void)curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	(void)curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)HTTPC_TIMEOUT_SEC);
	(void)curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
	if (opt != NULL && opt->timeout_ms > 0) {
		(void)curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, opt->timeout_ms);
		(void)curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
		    opt->timeout_ms);
	}
	if (opt != NULL && opt->username != NULL) {
		(void)curl_easy_setopt(curl, CURLOPT_USERNAME, opt->username);
		(void)curl_easy_setopt(curl, CURLOPT_PASSWORD,
		    opt->password != NULL ? opt->password : "");
	}
	(void)curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
	(void)curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, httpc_collect);
	(void)curl_easy_setopt(curl, CURLOPT_WRITEDATA, reply);
	httpc_stoppable(curl);
	if (strcmp(method, "POST") == 0) {
		(void)curl_easy_setopt(curl, CURLOPT_POST, 1L);
		(void)curl_easy_setopt(curl, CURLOPT_POSTFIELDS,
		    body != NULL ? body : "");
		(void)curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(body != NULL ? body_len : 0));
	}

	rc = curl_easy_perform(curl);
	if (rc == CURLE_OK)
		(void)curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE,
		    &reply->status);
	else
		(void)snprintf(reply->error, sizeof(reply->error), "%s",
		    curl_easy_strerror(rc));
	curl_slist_free_all(list);
	curl_easy_cleanup(curl);

	if (reply->body == NULL && (reply->body = calloc(1, 1)) == NULL)
		abort();
	if (rc != CURLE_OK) {
		reply->status = 0;
		return (-1);
	}
	return (0);
}

void
httpc_reply_free(struct httpc_reply *reply)
{
	free(reply->body);
	reply->body = NULL;
	reply->len = 0;
}

static size_t
httpc_collect(char *data, size_t size, size_t n, void *arg)
{
	struct httpc_reply	*reply = arg;
	char			*p;

	n *= size;
	if (reply->len + n > HTTPC_REPLY_MAX) {
		(void)snprintf(reply->error, sizeof(reply->error),
		    "reply larger than %d bytes", HTTPC_REPLY_MAX);
		return (0);		/* libcurl stops with an error */
	}
	if ((p = realloc(reply->body, reply->len + n + 1)) == NULL)
		return (0);
	memcpy(p + reply->len, data, n);
	reply->len += n;
	p[reply->len] = '\0';
	reply->body = p;
	return (n);
}

/* Any libcurl transfer of ours (HTTP, SMTP, IMAP) ends when httpc_stop is set. */
void
httpc_stoppable(void *curl)
{
	(void)curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	(void)curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, httpc_progress);
}

/* Called by libcurl about once a second and at every chunk. */
static int
httpc_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	return (httpc_stop ? 1 : 0);	/* non-zero: libcurl gives up */
}
