/*
 * mask.h: hides personal data in text that is about to be published, such
 * as a citizen's question shown with its answer.
 */

#ifndef MASK_H
#define MASK_H

#include <stddef.h>

/*
 * Returns a malloc'd, NUL-terminated copy of text in which:
 *	- phone numbers keep only their last three digits ("*******678"),
 *	  separators stay where they were;
 *	- e-mail addresses become "n***@domain";
 *	- 9-digit (CMND) and 12-digit (CCCD) ID numbers lose every digit.
 * Only ASCII bytes are ever changed, so UTF-8 text stays intact.  Errs on
 * the side of masking.  Returns NULL if memory runs out or text is NULL.
 */
char	*mask_personal(const char *, size_t);

#endif /* !MASK_H */
