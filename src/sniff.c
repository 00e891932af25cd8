/*
 * sniff.c: upload type by content.
 *
 * Beyond the magic bytes each format must show a little of its expected
 * structure (a valid PNG IHDR with its CRC, a JPEG segment that fits, a
 * WebP chunk with its codec signature, a PDF trailer), so that a text
 * file which merely starts with the right bytes is not taken for an image.
 */

#include <stdint.h>
#include <string.h>

#include "sniff.h"

#define SNIFF_PDF_TAIL		1024

static int	sniff_jpeg(const unsigned char *, size_t);
static int	sniff_png(const unsigned char *, size_t);
static int	sniff_webp(const unsigned char *, size_t);
static int	sniff_pdf(const unsigned char *, size_t);
static uint32_t	sniff_be32(const unsigned char *);
static uint32_t	sniff_le32(const unsigned char *);
static uint32_t	sniff_crc32(const unsigned char *, size_t);

const char *
sniff_upload(const unsigned char *buf, size_t len, const char **ext)
{
	const char	*type, *e;

	type = NULL;
	e = NULL;
	if (buf == NULL || len == 0) {
		/* nothing */
	} else if (sniff_jpeg(buf, len)) {
		type = "image/jpeg";
		e = "jpg";
	} else if (sniff_png(buf, len)) {
		type = "image/png";
		e = "png";
	} else if (sniff_webp(buf, len)) {
		type = "image/webp";
		e = "webp";
	} else if (sniff_pdf(buf, len)) {
		type = "application/pdf";
		e = "pdf";
	}

	if (ext != NULL)
		*ext = e;
	return (type);
}

/* SOI, then a marker that may follow it, whose segment fits the buffer. */
static int
sniff_jpeg(const unsigned char *p, size_t len)
{
	size_t	seglen;

	if (len < 6 || p[0] != 0xff || p[1] != 0xd8 || p[2] != 0xff)
		return (0);
	if (p[3] < 0xc0 || p[3] == 0xff || (p[3] >= 0xd0 && p[3] <= 0xd9))
		return (0);

	seglen = ((size_t)p[4] << 8) | p[5];
	if (seglen < 2 || 4 + seglen > len)
		return (0);

	/* An APP0 segment must really be JFIF or JFXX. */
	if (p[3] == 0xe0 && (seglen < 7 || (memcmp(p + 6, "JFIF", 5) != 0 &&
	    memcmp(p + 6, "JFXX", 5) != 0)))
		return (0);

	return (1);
}

/* Signature, then an IHDR chunk that is first, sane and has a good CRC. */
static int
sniff_png(const unsigned char *p, size_t len)
{
	static const unsigned char	sig[8] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
	};
	const unsigned char		*ihdr;
	uint32_t			 w, h;
	int				 depth, color;

	if (len < 8 + 25 || memcmp(p, sig, sizeof(sig)) != 0)
		return (0);
	if (sniff_be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4) != 0)
		return (0);

	ihdr = p + 16;
	w = sniff_be32(ihdr);
	h = sniff_be32(ihdr + 4);
	if (w == 0 || h == 0 || w > 0x7fffffff || h > 0x7fffffff)
		return (0);

	depth = ihdr[8];
	color = ihdr[9];
	switch (color) {
	case 0:
		if (depth != 1 && depth != 2 && depth != 4 && depth != 8 &&
		    depth != 16)
			return (0);
		break;
	case 3:
		if (depth != 1 && depth != 2 && depth != 4 && depth != 8)
			return (0);
		break;
	case 2:
	case 4:
	case 6:
		if (depth != 8 && depth != 16)
			return (0);
		break;
	default:
		return (0);
	}
	if (ihdr[10] != 0 || ihdr[11] != 0 || ihdr[12] > 1)
		return (0);

	return (sniff_crc32(p + 12, 17) == sniff_be32(p + 29));
}

/* RIFF container of type WEBP whose first chunk is a known codec's. */
static int
sniff_webp(const unsigned char *p, size_t len)
{
	uint32_t	riff;

	if (len < 30 || memcmp(p, "RIFF", 4) != 0 ||
	    memcmp(p + 8, "WEBP", 4) != 0)
		return (0);

	riff = sniff_le32(p + 4);
	if (riff < 4 + 8 + 10 || (uint64_t)riff + 8 > len)
		return (0);

	if (memcmp(p + 12, "VP8 ", 4) == 0)
		return (p[23] == 0x9d && p[24] == 0x01 && p[25] == 0x2a);
	if (memcmp(p + 12, "VP8L", 4) == 0)
		return (p[20] == 0x2f);
	if (memcmp(p + 12, "VP8X", 4) == 0)
		return (sniff_le32(p + 16) == 10);

	return (0);
}

/* "%PDF-1.x" or "%PDF-2.0" first, "%%EOF" in the last kilobyte. */
static int
sniff_pdf(const unsigned char *p, size_t len)
{
	size_t		off;

	if (len < 16 || memcmp(p, "%PDF-", 5) != 0)
		return (0);
	if (!((p[5] == '1' && p[6] == '.' && p[7] >= '0' && p[7] <= '7') ||
	    (p[5] == '2' && p[6] == '.' && p[7] == '0')))
		return (0);

	off = len > SNIFF_PDF_TAIL ? len - SNIFF_PDF_TAIL : 8;
	if (off < 8)
		off = 8;
	return (memmem(p + off, len - off, "%%EOF", 5) != NULL);
}

static uint32_t
sniff_be32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3]);
}

static uint32_t
sniff_le32(const unsigned char *p)
{
	return ((uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | (uint32_t)p[0]);
}

/* Bitwise CRC-32 (ISO-HDLC); only ever run over 17 bytes. */
static uint32_t
sniff_crc32(const unsigned char *p, size_t len)
{
	uint32_t	crc;
	size_t		i;
	int		k;

	crc = 0xffffffff;
	for (i = 0; i < len; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320 & (0u - (crc & 1)));
	}
	return (crc ^ 0xffffffff);
}
