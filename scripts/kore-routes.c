/*
 * kore-routes: prints the `route` and `restrict` lines of kore.conf from
 * src/routes.def, the table the app is built from; scripts/up puts them
 * where conf/kore.conf.in says @ROUTES@.  The restrict line makes Kore
 * answer 405 to any other method before it reads a request's body.
 */
#include <stdio.h>

#define ROUTE_GET	0x01
#define ROUTE_POST	0x02

struct route_line {
	const char	*path;
	const char	*handler;
	int		 methods;
};

static const struct route_line routes[] = {
#define ROUTE(id, path, handler, roles, methods, kind, body_max, step) \
	{ path, #handler, methods },
#include "routes.def"
#undef ROUTE
};

int
main(void)
{
	size_t	i;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		printf("\troute %s %s\n", routes[i].path, routes[i].handler);
		printf("\trestrict %s%s%s\n", routes[i].path,
		    (routes[i].methods & ROUTE_GET) ? " get" : "",
		    (routes[i].methods & ROUTE_POST) ? " post" : "");
	}
	if (ferror(stdout) || fflush(stdout) != 0)
		return (1);
	return (0);
}
