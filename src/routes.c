/*
 * routes: the table web_run() serves and the handlers Kore calls, made
 * from routes.def.  scripts/kore-routes.c makes kore.conf's lines from
 * the same file, so a route is declared once.
 */
#include "app.h"
#include "social.h"
#include "ticket.h"

#define ROUTE_GET	HTTP_METHOD_GET
#define ROUTE_POST	HTTP_METHOD_POST

const struct web_route web_routes[ROUTE_COUNT] = {
#define ROUTE(id, path, handler, roles, methods, kind, body_max, step) \
	[ROUTE_##id] = { ROUTE_##id, path, roles, methods, kind, body_max, \
	    step },
#include "routes.def"
#undef ROUTE
};

/* Kore looks each handler up by its name in kore.conf. */
#define ROUTE(id, path, handler, roles, methods, kind, body_max, step) \
	int handler(struct http_request *);
#include "routes.def"
#undef ROUTE

#define ROUTE(id, path, handler, roles, methods, kind, body_max, step) \
int									\
handler(struct http_request *req)					\
{									\
	return (web_run(req, &web_routes[ROUTE_##id]));			\
}
#include "routes.def"
#undef ROUTE
