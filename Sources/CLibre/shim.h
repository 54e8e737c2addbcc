#ifndef HOTLINE_CLIBRE_SHIM_H
#define HOTLINE_CLIBRE_SHIM_H

/*
 * libre (baresip's SIP/SDP/RTP library, Debian `libre-dev`), wrapped for Swift.
 *
 * libre's headers expect the configuration its own build passes on the command line: without these
 * four, `re.h` declares types Swift cannot import (and RELEASE turns debug assertions off).
 */
#ifndef HAVE_INTTYPES_H
#define HAVE_INTTYPES_H 1
#endif
#ifndef HAVE_STDBOOL_H
#define HAVE_STDBOOL_H 1
#endif
#ifndef HAVE_INET6
#define HAVE_INET6 1
#endif
#ifndef RELEASE
#define RELEASE 1
#endif

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <re.h>

/*
 * Wrappers for the parts of libre Swift cannot call directly: variadic functions (always called
 * here without extra headers) and an `extern char[]`. Every wrapper is `static inline` and prefixed
 * `hotline_`.
 */

/* Adds a SIP transport (UDP or TCP) listening on `laddr`. */
static inline int hotline_sip_transp_add(struct sip *sip, enum sip_transp tp, const struct sa *laddr) {
    return sip_transp_add(sip, tp, laddr);
}

/* Adds a payload format to an SDP media line (`params` may be NULL). */
static inline int hotline_sdp_format_add(struct sdp_media *m, const char *id, const char *name, uint32_t srate,
                                         uint8_t channels, const char *params) {
    if (params)
        return sdp_format_add(NULL, m, false, id, name, srate, channels, NULL, NULL, NULL, false, "%s", params);
    return sdp_format_add(NULL, m, false, id, name, srate, channels, NULL, NULL, NULL, false, NULL);
}

/* Sends a REFER in an established dialog (blind transfer) with `Refer-To: refer_to`; the NOTIFYs
 * of the implicit subscription come to `notifyh` (which replies to them), its end to `closeh`. */
static inline int hotline_sipevent_drefer(struct sipsub **subp, struct sipevent_sock *sock, struct sip_dialog *dlg,
                                          const char *cuser, sipsub_notify_h *notifyh, sipsub_close_h *closeh,
                                          void *arg, const char *refer_to) {
    return sipevent_drefer(subp, sock, dlg, cuser, NULL, NULL, false, notifyh, closeh, arg, "Refer-To: %s\r\n", refer_to);
}

/* Accepts an incoming INVITE with a provisional response (`scode` 101-199) and no body. */
static inline int hotline_sipsess_accept(struct sipsess **sessp, struct sipsess_sock *sock, const struct sip_msg *msg,
                                         uint16_t scode, const char *reason, const char *cuser,
                                         sipsess_offer_h *offerh, sipsess_answer_h *answerh,
                                         sipsess_estab_h *estabh, sipsess_info_h *infoh, sipsess_close_h *closeh,
                                         void *arg) {
    return sipsess_accept(sessp, sock, msg, scode, reason, cuser, "application/sdp", NULL, NULL, NULL, false,
                          offerh, answerh, estabh, infoh, NULL, closeh, arg, NULL);
}

/* Places an outgoing INVITE carrying the SDP offer `desc` (no extra headers). */
static inline int hotline_sipsess_connect(struct sipsess **sessp, struct sipsess_sock *sock, const char *to_uri,
                                          const char *from_name, const char *from_uri, const char *cuser,
                                          struct mbuf *desc, sipsess_offer_h *offerh, sipsess_answer_h *answerh,
                                          sipsess_progr_h *progrh, sipsess_estab_h *estabh, sipsess_info_h *infoh,
                                          sipsess_close_h *closeh, void *arg) {
    return sipsess_connect(sessp, sock, to_uri, from_name, from_uri, cuser, NULL, 0, "application/sdp", desc, NULL, NULL,
                           false, offerh, answerh, progrh, estabh, infoh, NULL, closeh, arg, NULL);
}

/* Sends the final 2xx answer of an accepted session with its SDP. */
static inline int hotline_sipsess_answer(struct sipsess *sess, uint16_t scode, const char *reason, struct mbuf *desc) {
    return sipsess_answer(sess, scode, reason, desc, NULL);
}

/* Rejects an accepted session that has not been answered yet (`scode` >= 300). */
static inline int hotline_sipsess_reject(struct sipsess *sess, uint16_t scode, const char *reason) {
    return sipsess_reject(sess, scode, reason, NULL);
}

/* Refuses an incoming INVITE with `302 Moved Temporarily` and `Contact: <uri>` (a redirect). */
static inline int hotline_sipsess_redirect(struct sipsess *sess, const char *contact) {
    return sipsess_reject(sess, 302, "Moved Temporarily", "Contact: <%s>\r\nContent-Length: 0\r\n\r\n", contact);
}

/* Replies to a request statelessly with `Allow`/`Accept` headers (OPTIONS) or none. */
static inline int hotline_sip_reply_allow(struct sip *sip, const struct sip_msg *msg, uint16_t scode, const char *reason) {
    return sip_replyf(sip, msg, scode, reason,
                      "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, INFO\r\n"
                      "Accept: application/sdp, application/dtmf-relay, application/dtmf\r\n"
                      "Content-Length: 0\r\n\r\n");
}

/* Replies with a `Retry-After` header (flood limit, busy line). */
static inline int hotline_sip_reply_retry(struct sip *sip, const struct sip_msg *msg, uint16_t scode, const char *reason,
                                          uint32_t seconds) {
    return sip_replyf(sip, msg, scode, reason, "Retry-After: %u\r\nContent-Length: 0\r\n\r\n", seconds);
}

/* "telephone-event", the RFC 4733 format name. */
static inline const char *hotline_telev_rtpfmt(void) {
    return telev_rtpfmt;
}

#endif
