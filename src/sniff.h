/*
 * sniff.h: the type of an uploaded file, decided by its content and never
 * by its name or the client's Content-Type.  Only the types the hotline
 * accepts as attachments are recognised.  Serve stored files with the
 * type returned here and "X-Content-Type-Options: nosniff".
 */

#ifndef SNIFF_H
#define SNIFF_H

#include <stddef.h>

/*
 * Returns "image/jpeg", "image/png", "image/webp" or "application/pdf"
 * and sets *ext (if ext is not NULL) to "jpg", "png", "webp" or "pdf";
 * returns NULL and sets *ext to NULL for anything else.
 */
const char	*sniff_upload(const unsigned char *, size_t, const char **);

#endif /* !SNIFF_H */
