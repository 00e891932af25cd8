/*
 * routes: the ids of the routes and their step functions, both from
 * routes.def (the one place a route is declared).
 */
#ifndef ROUTES_H
#define ROUTES_H

struct http_request;
struct web;

enum route_id {
#define ROUTE(id, path, handler, roles, methods, kind, body_max, step) \
	ROUTE_##id,
#include "routes.def"
#undef ROUTE
	ROUTE_COUNT
};

/* Each handler's step function (several routes may share one). */
#define ROUTE(id, path, handler, roles, methods, kind, body_max, step) \
	int step(struct http_request *, struct web *);
#include "routes.def"
#undef ROUTE

#endif
