/*
 * The SIP ceiling of `make bench`: the least an answering endpoint can do on libre, written directly
 * in C, so Hotline's SIP figures can be read as a share of what the stack and this machine allow.
 *
 *   ceiling HOST PORT [--stop-after SECONDS]
 *
 * It answers every INVITE that offers PCMU or PCMA (100 Trying, 180 Ringing and 200 OK with the SDP
 * answer, as Hotline does with --ring 0; 488 otherwise), streams a 400 Hz tone as 20 ms G.711 RTP
 * packets to every answered call on ONE shared 20 ms timer, takes RFC 4733 keys (each key counted
 * once, at its first end-of-event packet) and ends the call on BYE. No flow, no database, no
 * prompts: what is left is SIP, SDP and RTP.
 *
 * It prints "ceiling answers on HOST:PORT" once it listens, and on SIGINT/SIGTERM (or after
 * --stop-after) one line of counters and exits 0:
 *
 *   ceiling: answered N, keys K, caller hung up B, failed F, refused R, up U
 *
 * Build (Debian `libre-dev`): cc -O2 -o ceiling ceiling.c $(pkg-config --cflags --libs libre)
 * libre's headers need the configuration its own build passes: see the four defines below.
 */
#define HAVE_INTTYPES_H 1
#define HAVE_STDBOOL_H 1
#define HAVE_INET6 1
#define RELEASE 1

#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <re.h>

enum { FRAME_SAMPLES = 160, PTIME = 20 };

struct call {
    struct le le;
    struct sipsess *sess;
    struct sdp_session *sdp;
    struct sdp_media *media;
    struct rtp_sock *rtp;
    struct sa remote;
    uint8_t pt;
    int key_pt;
    bool marker;
    bool answered;
    uint32_t ts;
    uint32_t last_key_ts;
    bool key_seen;
};

static struct sip *sip;
static struct sipsess_sock *sess_sock;
static struct list calls;
/* Calls closed since the last tick: freed there, not inside libre's close handler. */
static struct list ended;
static struct tmr media_timer, stop_timer;
static struct mbuf *frame;
static struct sa local_ip;
static uint8_t tone_pcmu[FRAME_SAMPLES], tone_pcma[FRAME_SAMPLES];
static uint64_t next_due;
static unsigned long answered, keys, hung_up, failed, refused;

/* G.711 encoders (ITU-T G.711, as in Hotline's HotlineAudio). */
static uint8_t encode_ulaw(int16_t sample) {
    int value = sample, sign = 0, exponent = 7, mantissa;
    if (value < 0) { value = -value; sign = 0x80; }
    if (value > 32635) value = 32635;
    value += 0x84;
    for (int mask = 0x4000; (value & mask) == 0 && exponent > 0; mask >>= 1) exponent--;
    mantissa = (value >> (exponent + 3)) & 0x0F;
    return (uint8_t)~(sign | (exponent << 4) | mantissa);
}

static uint8_t encode_alaw(int16_t sample) {
    int value = sample, sign = 0x80, exponent, mantissa;
    if (value < 0) { value = -value - 1; sign = 0; }
    if (value > 32767) value = 32767;
    if (value >= 256) {
        exponent = 1;
        for (int v = value >> 8; v > 1 && exponent < 7; v >>= 1) exponent++;
        mantissa = (value >> (exponent + 3)) & 0x0F;
    } else {
        exponent = 0;
        mantissa = value >> 4;
    }
    return (uint8_t)((sign | (exponent << 4) | mantissa) ^ 0x55);
}

static void call_destroy(void *arg) {
    struct call *call = arg;
    list_unlink(&call->le);
    mem_deref(call->sess);
    mem_deref(call->sdp);
    mem_deref(call->rtp);
}

static void rtp_received(const struct sa *src, const struct rtp_header *hdr, struct mbuf *mb, void *arg) {
    struct call *call = arg;
    (void)src;
    if (call->key_pt < 0 || hdr->pt != call->key_pt || mbuf_get_left(mb) < 4) return;
    /* RFC 4733: event, E|R|volume, duration. A key is counted once, at its first end packet. */
    const uint8_t *payload = mbuf_buf(mb);
    bool end = (payload[1] & 0x80) != 0;
    if (!end || (call->key_seen && call->last_key_ts == hdr->ts)) return;
    call->key_seen = true;
    call->last_key_ts = hdr->ts;
    keys++;
}

/* The one media clock: a frame to every answered call every 20 ms (never a timer per call). */
static void tick(void *arg) {
    uint64_t now = tmr_jiffies();
    struct le *le;
    (void)arg;
    next_due += PTIME;
    if (now > next_due + 200) next_due = now + PTIME; /* far behind: start again from now */
    tmr_start(&media_timer, next_due > now ? next_due - now : 0, tick, NULL);
    list_flush(&ended);
    for (le = calls.head; le; le = le->next) {
        struct call *call = le->data;
        if (!call->answered) continue;
        frame->pos = RTP_HEADER_SIZE;
        frame->end = RTP_HEADER_SIZE;
        (void)mbuf_write_mem(frame, call->pt == 8 ? tone_pcma : tone_pcmu, FRAME_SAMPLES);
        frame->pos = RTP_HEADER_SIZE;
        (void)rtp_send(call->rtp, &call->remote, false, call->marker, call->pt, call->ts, frame);
        call->marker = false;
        call->ts += FRAME_SAMPLES;
    }
}

static void closed(int err, const struct sip_msg *msg, void *arg) {
    struct call *call = arg;
    (void)msg;
    if (err == ECONNRESET) hung_up++;
    else failed++;
    call->answered = false;
    list_unlink(&call->le);
    list_append(&ended, &call->le, call);
}

static void established(const struct sip_msg *msg, void *arg) {
    (void)msg;
    (void)arg;
}

static int offered(struct mbuf **descp, const struct sip_msg *msg, void *arg) {
    struct call *call = arg;
    int err = sdp_decode(call->sdp, msg->mb, true);
    if (err) return err;
    call->remote = *sdp_media_raddr(call->media);
    return sdp_encode(descp, call->sdp, false);
}

static int answered_ack(const struct sip_msg *msg, void *arg) {
    (void)msg;
    (void)arg;
    return 0;
}

static void info(struct sip *sip_stack, const struct sip_msg *msg, void *arg) {
    (void)arg;
    (void)sip_reply(sip_stack, msg, 200, "OK");
}

/* Picks the caller's first PCMU or PCMA format and its telephone-event type. */
static bool negotiate(struct call *call) {
    const struct list *formats = sdp_media_format_lst(call->media, false);
    const struct sdp_format *key;
    struct le *le;
    for (le = formats ? formats->head : NULL; le; le = le->next) {
        const struct sdp_format *format = le->data;
        if (!format->sup) continue;
        if ((format->name && !str_casecmp(format->name, "PCMU")) || (!format->name && format->pt == 0)) {
            call->pt = (uint8_t)format->pt;
            break;
        }
        if ((format->name && !str_casecmp(format->name, "PCMA")) || (!format->name && format->pt == 8)) {
            call->pt = (uint8_t)format->pt;
            break;
        }
    }
    if (!le) return false;
    key = sdp_media_rformat(call->media, telev_rtpfmt);
    call->key_pt = key ? key->pt : -1;
    call->remote = *sdp_media_raddr(call->media);
    return true;
}

static void incoming(const struct sip_msg *msg, void *arg) {
    struct call *call;
    struct mbuf *answer = NULL;
    int err;
    (void)arg;
    call = mem_zalloc(sizeof(*call), call_destroy);
    if (!call) {
        (void)sip_reply(sip, msg, 500, "Server Internal Error");
        refused++;
        return;
    }
    list_append(&calls, &call->le, call);
    call->marker = true;
    call->ts = rand_u32();
    err = rtp_listen(&call->rtp, IPPROTO_UDP, &local_ip, 20000, 39999, false, rtp_received, NULL, call);
    if (!err) err = sdp_session_alloc(&call->sdp, &local_ip);
    if (!err) err = sdp_media_add(&call->media, call->sdp, "audio", sa_port(rtp_local(call->rtp)), "RTP/AVP");
    if (!err) err = sdp_format_add(NULL, call->media, false, "0", "PCMU", 8000, 1, NULL, NULL, NULL, false, NULL);
    if (!err) err = sdp_format_add(NULL, call->media, false, "8", "PCMA", 8000, 1, NULL, NULL, NULL, false, NULL);
    if (!err) err = sdp_format_add(NULL, call->media, false, "101", telev_rtpfmt, 8000, 1, NULL, NULL, NULL, false, "0-15");
    if (err) {
        (void)sip_reply(sip, msg, 503, "Service Unavailable");
        refused++;
        mem_deref(call);
        return;
    }
    if (!msg->mb || mbuf_get_left(msg->mb) == 0) {
        (void)sip_reply(sip, msg, 488, "Not Acceptable Here");
        refused++;
        mem_deref(call);
        return;
    }
    size_t position = msg->mb->pos;
    err = sdp_decode(call->sdp, msg->mb, true);
    msg->mb->pos = position;
    if (err || !negotiate(call)) {
        (void)sip_reply(sip, msg, 488, "Not Acceptable Here");
        refused++;
        mem_deref(call);
        return;
    }
    (void)sdp_encode(&answer, call->sdp, false);
    (void)sip_treply(NULL, sip, msg, 100, "Trying");
    err = sipsess_accept(&call->sess, sess_sock, msg, 180, "Ringing", "ceiling", "application/sdp", NULL, NULL, NULL,
                         false, offered, answered_ack, established, info, NULL, closed, call, NULL);
    if (!err) err = sipsess_answer(call->sess, 200, "OK", answer, NULL);
    mem_deref(answer);
    if (err) {
        refused++;
        mem_deref(call);
        return;
    }
    call->answered = true;
    answered++;
}

static void report(void) {
    printf("ceiling: answered %lu, keys %lu, caller hung up %lu, failed %lu, refused %lu, up %u\n", answered, keys, hung_up,
           failed, refused, list_count(&calls));
    fflush(stdout);
}

static void stop(int sig) {
    (void)sig;
    re_cancel();
}

static void stop_timeout(void *arg) {
    (void)arg;
    re_cancel();
}

int main(int argc, char *argv[]) {
    struct sa laddr;
    int err;
    double stop_after = 0;
    if (argc < 3) {
        fprintf(stderr, "usage: ceiling HOST PORT [--stop-after SECONDS]\n");
        return 2;
    }
    if (argc >= 5 && !strcmp(argv[3], "--stop-after")) stop_after = atof(argv[4]);
    for (int i = 0; i < FRAME_SAMPLES; i++) {
        int16_t sample = (int16_t)(8000.0 * sin(2.0 * M_PI * 400.0 * i / 8000.0));
        tone_pcmu[i] = encode_ulaw(sample);
        tone_pcma[i] = encode_alaw(sample);
    }
    err = libre_init();
    if (err) {
        fprintf(stderr, "ceiling: libre did not start: %s\n", strerror(err));
        return 1;
    }
    /* libre polls at most 1,024 descriptors unless told otherwise: one RTP socket and one SIP
     * transaction's worth per call would cap the endpoint near 500 calls. Use the process limit. */
    struct rlimit files;
    err = getrlimit(RLIMIT_NOFILE, &files) == 0 ? fd_setsize((int)(files.rlim_cur > 65536 ? 65536 : files.rlim_cur)) : errno;
    if (!err) err = sa_set_str(&laddr, argv[1], (uint16_t)atoi(argv[2]));
    if (!err) err = sa_set_str(&local_ip, argv[1], 0);
    if (!err) err = sip_alloc(&sip, NULL, 64, 64, 64, "ceiling", NULL, NULL);
    if (!err) err = sip_transp_add(sip, SIP_TRANSP_UDP, &laddr);
    if (!err) err = sipsess_listen(&sess_sock, sip, 64, incoming, NULL);
    if (err) {
        fprintf(stderr, "ceiling: cannot listen on %s:%s: %s\n", argv[1], argv[2], strerror(err));
        return 1;
    }
    frame = mbuf_alloc(RTP_HEADER_SIZE + FRAME_SAMPLES);
    tmr_init(&media_timer);
    tmr_init(&stop_timer);
    next_due = tmr_jiffies() + PTIME;
    tmr_start(&media_timer, PTIME, tick, NULL);
    if (stop_after > 0) tmr_start(&stop_timer, (uint64_t)(stop_after * 1000), stop_timeout, NULL);
    printf("ceiling answers on %s:%s\n", argv[1], argv[2]);
    fflush(stdout);

    (void)re_main(stop);

    report();
    tmr_cancel(&media_timer);
    tmr_cancel(&stop_timer);
    list_flush(&calls);
    list_flush(&ended);
    mem_deref(frame);
    mem_deref(sess_sock);
    sip_close(sip, true);
    mem_deref(sip);
    libre_close();
    return 0;
}
