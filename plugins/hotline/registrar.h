/* registrar.c: desk phones' REGISTER (digest, nonces, lockouts). */
#ifndef HOTLINE_REGISTRAR_H
#define HOTLINE_REGISTRAR_H

#include <sofia-sip/sip.h>

enum {
	HL_REG_OK = 0,
	HL_REG_CHALLENGE,	/* 401 with a fresh nonce */
	HL_REG_FORBIDDEN,	/* 403: network, lockout, wrong AOR */
};

int	 hl_registrar_init(const char *);
void	 hl_registrar_free(void);
int	 hl_registrar_check(const char *, sip_t const *,
	    const hl_extension **, char **);

#endif /* HOTLINE_REGISTRAR_H */
