/*
 * janus_core: copies /usr/bin/janus to a file the dynamic linker will load
 * as a shared object, so that the plugin's harnesses run against Janus's
 * own SDP parser, RTP helpers and logging instead of imitations of them.
 *
 * Janus is linked with its symbols exported (plugins resolve janus_sdp_*
 * and the rest from it at load time), so the executable already is a
 * shared object in all but one flag: glibc refuses to load an ELF file
 * whose DT_FLAGS_1 has DF_1_PIE.  The copy has that bit cleared and is
 * otherwise byte for byte the installed binary.
 *
 * usage: janus_core /usr/bin/janus build/fuzz/libjanus-core.so
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char	*read_all(const char *, size_t *);
static int		 clear_pie(unsigned char *, size_t);

int
main(int argc, char *argv[])
{
	unsigned char	*buf;
	size_t		 len;
	FILE		*out;

	if (argc != 3) {
		fprintf(stderr, "usage: janus_core janus-binary output.so\n");
		return (2);
	}
	if ((buf = read_all(argv[1], &len)) == NULL)
		return (1);
	if (clear_pie(buf, len) == -1) {
		fprintf(stderr, "janus_core: %s: not a 64-bit PIE with a "
		    "DT_FLAGS_1 entry\n", argv[1]);
		free(buf);
		return (1);
	}
	if ((out = fopen(argv[2], "wb")) == NULL ||
	    fwrite(buf, 1, len, out) != len || fclose(out) != 0) {
		perror(argv[2]);
		free(buf);
		return (1);
	}
	free(buf);
	return (0);
}

static unsigned char *
read_all(const char *path, size_t *lenp)
{
	FILE		*f;
	unsigned char	*buf;
	long		 n;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return (NULL);
	}
	if (fseek(f, 0, SEEK_END) == -1 || (n = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET) == -1) {
		perror(path);
		fclose(f);
		return (NULL);
	}
	if ((buf = malloc((size_t)n)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "janus_core: %s: short read\n", path);
		free(buf);
		fclose(f);
		return (NULL);
	}
	fclose(f);
	*lenp = (size_t)n;
	return (buf);
}

/* Every offset is checked against the file before it is followed. */
static int
clear_pie(unsigned char *buf, size_t len)
{
	Elf64_Ehdr	 eh;
	Elf64_Phdr	 ph;
	Elf64_Dyn	 dyn;
	size_t		 i, j, off;
	int		 done;

	if (len < sizeof(eh))
		return (-1);
	memcpy(&eh, buf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_type != ET_DYN ||
	    eh.e_phentsize != sizeof(ph))
		return (-1);
	done = 0;
	for (i = 0; i < eh.e_phnum; i++) {
		off = eh.e_phoff + i * sizeof(ph);
		if (off > len || len - off < sizeof(ph))
			return (-1);
		memcpy(&ph, buf + off, sizeof(ph));
		if (ph.p_type != PT_DYNAMIC)
			continue;
		if (ph.p_offset > len || len - ph.p_offset < ph.p_filesz)
			return (-1);
		for (j = 0; j + sizeof(dyn) <= ph.p_filesz; j += sizeof(dyn)) {
			off = ph.p_offset + j;
			memcpy(&dyn, buf + off, sizeof(dyn));
			if (dyn.d_tag == DT_NULL)
				break;
			if (dyn.d_tag != DT_FLAGS_1 ||
			    (dyn.d_un.d_val & DF_1_PIE) == 0)
				continue;
			dyn.d_un.d_val &= ~(Elf64_Xword)DF_1_PIE;
			memcpy(buf + off, &dyn, sizeof(dyn));
			done = 1;
		}
	}
	return (done ? 0 : -1);
}
