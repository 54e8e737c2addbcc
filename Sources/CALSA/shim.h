#ifndef HOTLINE_CALSA_SHIM_H
#define HOTLINE_CALSA_SHIM_H
#include <alsa/asoundlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * Wrappers for the parts of libasound Swift cannot call directly: macros and variadic functions.
 * Every wrapper is `static inline` and prefixed `hotline_`.
 */

/* The last message libasound reported through its error handler on this thread, so Swift errors can
 * quote it instead of libasound printing "ALSA lib ..." lines on stderr. */
enum { hotline_alsa_message_size = 512 };
static inline char *hotline_alsa_last_message(void) {
    static _Thread_local char buffer[hotline_alsa_message_size];
    return buffer;
}

/* libasound's error handler is variadic (`const char *fmt, ...`); Swift cannot implement one. */
static void hotline_alsa_capture_error(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err;
    va_list args;
    va_start(args, fmt);
    vsnprintf(hotline_alsa_last_message(), hotline_alsa_message_size, fmt, args);
    va_end(args);
}

/* Routes libasound's diagnostics into `hotline_alsa_last_message` instead of stderr. */
static inline int hotline_alsa_capture_errors(void) {
    return snd_lib_error_set_handler(hotline_alsa_capture_error);
}

/* Copies the last captured message (empty when none) and clears it. */
static inline void hotline_alsa_take_last_message(char *buffer, size_t size) {
    if (size == 0) return;
    char *message = hotline_alsa_last_message();
    strncpy(buffer, message, size - 1);
    buffer[size - 1] = 0;
    message[0] = 0;
}

/* SND_PCM_FORMAT_S16_LE and friends are enum constants Swift imports fine; these are macros. */
static inline snd_pcm_format_t hotline_snd_pcm_format_s16(void) { return SND_PCM_FORMAT_S16; }
#endif
