/*
 * code.h: public ticket codes such as "2611-K7M3Q9XP": year and month of
 * receipt, a dash, seven random Crockford base32 symbols and one check
 * symbol.  A citizen reads the code over the phone or types it on a
 * lookup form, so parsing forgives case, spaces, dashes and the Crockford
 * look-alikes (O for 0, I and L for 1), and the check symbol catches every
 * single mistyped symbol and every swap of two neighbouring symbols.
 */

#ifndef CODE_H
#define CODE_H

/* "YYMM-" plus 8 symbols, without the terminating NUL. */
#define CODE_LEN	13

void	code_format(char out[static CODE_LEN + 1], const unsigned char rnd[8],
	    int yy, int mm);
int	code_parse(const char *in, char out[static CODE_LEN + 1]);

#endif /* !CODE_H */
