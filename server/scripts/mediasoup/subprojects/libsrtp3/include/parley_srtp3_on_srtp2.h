/*
 * Parley: the part of the libsrtp 3 API that the mediasoup worker calls, implemented on libsrtp 2.5
 * (libsrtp 3 is not packaged in Debian 12). Include after <srtp2/srtp.h>; the worker itself includes
 * <srtp.h> (next to this file), which maps the libsrtp 3 names onto these functions.
 *
 * Differences from libsrtp 2 that these functions bridge:
 * - a policy is an opaque object built through calls (create, set_ssrc, set_profile, add_key, ...),
 *   not a struct filled by the caller;
 * - protect/unprotect take an input buffer and an output buffer with size_t lengths; the output
 *   length is the output buffer's capacity on entry and the packet's length on return;
 * - two more error codes: buffer_small and cryptex_err.
 * Not supported (mediasoup does not use them): MKI (add_key with an MKI, mki_index other than 0),
 * more than one key per policy, cryptex.
 */
#ifndef PARLEY_SRTP3_ON_SRTP2_H
#define PARLEY_SRTP3_ON_SRTP2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* libsrtp 2.5's last error code is srtp_err_status_pkt_idx_adv (27). */
#define PARLEY_SRTP_ERR_BUFFER_SMALL ((srtp_err_status_t)28)
#define PARLEY_SRTP_ERR_CRYPTEX ((srtp_err_status_t)29)

typedef struct parley_srtp3_policy *parley_srtp3_policy_t;

srtp_err_status_t parley_srtp3_policy_create(parley_srtp3_policy_t *policy);
void parley_srtp3_policy_destroy(parley_srtp3_policy_t policy);
srtp_err_status_t parley_srtp3_policy_set_ssrc(parley_srtp3_policy_t policy, srtp_ssrc_t ssrc);
srtp_err_status_t parley_srtp3_policy_set_profile(parley_srtp3_policy_t policy,
                                                  srtp_profile_t profile);
srtp_err_status_t parley_srtp3_policy_add_key(parley_srtp3_policy_t policy,
                                              const uint8_t *key,
                                              size_t key_len,
                                              const uint8_t *salt,
                                              size_t salt_len,
                                              const uint8_t *mki,
                                              size_t mki_len);
srtp_err_status_t parley_srtp3_policy_set_allow_repeat_tx(parley_srtp3_policy_t policy,
                                                          bool allow);
srtp_err_status_t parley_srtp3_policy_set_window_size(parley_srtp3_policy_t policy,
                                                      size_t window_size);

srtp_err_status_t parley_srtp3_create(srtp_t *session, const parley_srtp3_policy_t policy);

srtp_err_status_t parley_srtp3_protect(srtp_t ctx,
                                       const uint8_t *rtp,
                                       size_t rtp_len,
                                       uint8_t *srtp,
                                       size_t *srtp_len,
                                       size_t mki_index);
srtp_err_status_t parley_srtp3_unprotect(srtp_t ctx,
                                         const uint8_t *srtp,
                                         size_t srtp_len,
                                         uint8_t *rtp,
                                         size_t *rtp_len);
srtp_err_status_t parley_srtp3_protect_rtcp(srtp_t ctx,
                                            const uint8_t *rtcp,
                                            size_t rtcp_len,
                                            uint8_t *srtcp,
                                            size_t *srtcp_len,
                                            size_t mki_index);
srtp_err_status_t parley_srtp3_unprotect_rtcp(srtp_t ctx,
                                              const uint8_t *srtcp,
                                              size_t srtcp_len,
                                              uint8_t *rtcp,
                                              size_t *rtcp_len);

/* ssrc in network byte order, as in both libsrtp versions. */
srtp_err_status_t parley_srtp3_stream_remove(srtp_t session, uint32_t ssrc);

#ifdef __cplusplus
}
#endif

#endif
