/*
 * Fault injection for the hotline tests, preloaded into Janus
 * (JANUS_PRELOAD): while $HOTLINE_FAULTS/no-threads exists every
 * pthread_create fails with EAGAIN (a machine out of threads); while
 * $HOTLINE_FAULTS/slow-fsync exists every fsync first sleeps 1.5 s (a
 * slow disk).  Without the files it changes nothing.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef int	(*create_fn)(pthread_t *, const pthread_attr_t *,
		    void *(*)(void *), void *);
typedef int	(*fsync_fn)(int);

static int	fault_on(const char *);

int
pthread_create(pthread_t *t, const pthread_attr_t *attr,
    void *(*fn)(void *), void *arg)
{
	static create_fn	 real;

	if (real == NULL)
		real = (create_fn)dlsym(RTLD_NEXT, "pthread_create");
	if (fault_on("no-threads"))
		return (EAGAIN);
	return (real(t, attr, fn, arg));
}

int
fsync(int fd)
{
	static fsync_fn		 real;
	struct timespec		 ts = { 1, 500000000 };

	if (real == NULL)
		real = (fsync_fn)dlsym(RTLD_NEXT, "fsync");
	if (fault_on("slow-fsync"))
		nanosleep(&ts, NULL);
	return (real(fd));
}

static int
fault_on(const char *name)
{
	const char	*dir = getenv("HOTLINE_FAULTS");
	char		 path[512];

	if (dir == NULL || dir[0] == '\0')
		return (0);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return (access(path, F_OK) == 0);
}
