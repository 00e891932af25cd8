/*
 * fuzz_chat: one websocket frame from a visitor's browser through
 * chat_frame_parse() (src/chat_frame.c), as chat.c hands it over; what
 * it accepts must hold the limits it promises.
 */
#include <string.h>

#include "chat_frame.h"
#include "valid.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct chat_frame	f;

	if (chat_frame_parse(data, size, &f) != CHAT_FRAME_OK)
		return (0);
	if (f.type == CHAT_FRAME_MSG) {
		if (strlen(f.cid) == 0 || strlen(f.cid) > CHAT_CID_MAX ||
		    valid_text(f.text, strlen(f.text), CHAT_TEXT_MAX_CHARS,
		    1) != VALID_OK)
			__builtin_trap();
	}
	if (f.type == CHAT_FRAME_HELLO && (strlen(f.visitor) <
	    CHAT_VISITOR_MIN || f.last < 0))
		__builtin_trap();
	return (0);
}
