/*
 * Parley: libsrtp 3 calls used by the mediasoup worker, implemented on libsrtp 2.5.
 * See include/parley_srtp3_on_srtp2.h for what is bridged and what is not supported.
 */
#include <srtp2/srtp.h>

#include "parley_srtp3_on_srtp2.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct parley_srtp3_policy {
    srtp_policy_t v2;
    srtp_profile_t profile;
    bool has_profile;
    bool has_key;
    /* Master key followed by master salt, as libsrtp 2 expects them in srtp_policy_t.key. */
    unsigned char key[SRTP_MAX_KEY_LEN];
};

srtp_err_status_t parley_srtp3_policy_create(parley_srtp3_policy_t *policy)
{
    if (policy == NULL) {
        return srtp_err_status_bad_param;
    }
    *policy = calloc(1, sizeof(**policy));
    if (*policy == NULL) {
        return srtp_err_status_alloc_fail;
    }
    (*policy)->v2.ssrc.type = ssrc_undefined;
    /* libsrtp 2's own default window (srtp_create treats 0 as 128). */
    (*policy)->v2.window_size = 0;
    return srtp_err_status_ok;
}

void parley_srtp3_policy_destroy(parley_srtp3_policy_t policy)
{
    if (policy != NULL) {
        /* The key material does not outlive the policy. */
        memset(policy->key, 0, sizeof(policy->key));
        free(policy);
    }
}

srtp_err_status_t parley_srtp3_policy_set_ssrc(parley_srtp3_policy_t policy, srtp_ssrc_t ssrc)
{
    if (policy == NULL) {
        return srtp_err_status_bad_param;
    }
    policy->v2.ssrc = ssrc;
    return srtp_err_status_ok;
}

srtp_err_status_t parley_srtp3_policy_set_profile(parley_srtp3_policy_t policy,
                                                  srtp_profile_t profile)
{
    srtp_err_status_t status;

    if (policy == NULL) {
        return srtp_err_status_bad_param;
    }
    status = srtp_crypto_policy_set_from_profile_for_rtp(&policy->v2.rtp, profile);
    if (status != srtp_err_status_ok) {
        return status;
    }
    status = srtp_crypto_policy_set_from_profile_for_rtcp(&policy->v2.rtcp, profile);
    if (status != srtp_err_status_ok) {
        return status;
    }
    policy->profile = profile;
    policy->has_profile = true;
    return srtp_err_status_ok;
}

srtp_err_status_t parley_srtp3_policy_add_key(parley_srtp3_policy_t policy,
                                              const uint8_t *key,
                                              size_t key_len,
                                              const uint8_t *salt,
                                              size_t salt_len,
                                              const uint8_t *mki,
                                              size_t mki_len)
{
    if (policy == NULL || key == NULL || (salt == NULL && salt_len != 0)) {
        return srtp_err_status_bad_param;
    }
    /* One key without MKI is all mediasoup uses; libsrtp 2 would need its MKI key array. */
    if (mki != NULL || mki_len != 0 || policy->has_key) {
        return srtp_err_status_bad_param;
    }
    if (key_len + salt_len > sizeof(policy->key)) {
        return srtp_err_status_bad_param;
    }
    if (policy->has_profile &&
        (key_len != srtp_profile_get_master_key_length(policy->profile) ||
         salt_len != srtp_profile_get_master_salt_length(policy->profile))) {
        return srtp_err_status_bad_param;
    }
    memcpy(policy->key, key, key_len);
    if (salt_len != 0) {
        memcpy(policy->key + key_len, salt, salt_len);
    }
    policy->has_key = true;
    return srtp_err_status_ok;
}

srtp_err_status_t parley_srtp3_policy_set_allow_repeat_tx(parley_srtp3_policy_t policy,
                                                          bool allow)
{
    if (policy == NULL) {
        return srtp_err_status_bad_param;
    }
    policy->v2.allow_repeat_tx = allow ? 1 : 0;
    return srtp_err_status_ok;
}

srtp_err_status_t parley_srtp3_policy_set_window_size(parley_srtp3_policy_t policy,
                                                      size_t window_size)
{
    /* libsrtp 2 accepts 64 .. 0x7fff (and 0 for its default); srtp_create checks the range. */
    if (policy == NULL || window_size > 0x7fff) {
        return srtp_err_status_bad_param;
    }
    policy->v2.window_size = (unsigned long)window_size;
    return srtp_err_status_ok;
}

srtp_err_status_t parley_srtp3_create(srtp_t *session, const parley_srtp3_policy_t policy)
{
    srtp_policy_t v2;

    if (session == NULL) {
        return srtp_err_status_bad_param;
    }
    if (policy == NULL) {
        /* As in both versions: a session without streams, added later. */
        return srtp_create(session, NULL);
    }
    if (!policy->has_profile || !policy->has_key) {
        return srtp_err_status_bad_param;
    }
    v2 = policy->v2;
    v2.key = policy->key;
    v2.keys = NULL;
    v2.num_master_keys = 0;
    v2.next = NULL;
    return srtp_create(session, &v2);
}

/* Copies the packet into the output buffer when they differ; libsrtp 2 works in place. */
static srtp_err_status_t parley_prepare_out(const uint8_t *in,
                                            size_t in_len,
                                            uint8_t *out,
                                            size_t out_capacity,
                                            size_t room_needed)
{
    if (in == NULL || out == NULL) {
        return srtp_err_status_bad_param;
    }
    if (in_len > (size_t)INT_MAX - room_needed) {
        return srtp_err_status_bad_param;
    }
    if (out_capacity < in_len + room_needed) {
        return PARLEY_SRTP_ERR_BUFFER_SMALL;
    }
    if (out != in) {
        memmove(out, in, in_len);
    }
    return srtp_err_status_ok;
}

srtp_err_status_t parley_srtp3_protect(srtp_t ctx,
                                       const uint8_t *rtp,
                                       size_t rtp_len,
                                       uint8_t *srtp,
                                       size_t *srtp_len,
                                       size_t mki_index)
{
    srtp_err_status_t status;
    int len;

    if (srtp_len == NULL || mki_index != 0) {
        return srtp_err_status_bad_param;
    }
    /* libsrtp 2 may write up to SRTP_MAX_TRAILER_LEN bytes after an RTP packet. */
    status = parley_prepare_out(rtp, rtp_len, srtp, *srtp_len, SRTP_MAX_TRAILER_LEN);
    if (status != srtp_err_status_ok) {
        return status;
    }
    len = (int)rtp_len;
    status = srtp_protect(ctx, srtp, &len);
    if (status == srtp_err_status_ok) {
        *srtp_len = (size_t)len;
    }
    return status;
}

srtp_err_status_t parley_srtp3_unprotect(srtp_t ctx,
                                         const uint8_t *srtp,
                                         size_t srtp_len,
                                         uint8_t *rtp,
                                         size_t *rtp_len)
{
    srtp_err_status_t status;
    int len;

    if (rtp_len == NULL) {
        return srtp_err_status_bad_param;
    }
    status = parley_prepare_out(srtp, srtp_len, rtp, *rtp_len, 0);
    if (status != srtp_err_status_ok) {
        return status;
    }
    len = (int)srtp_len;
    status = srtp_unprotect(ctx, rtp, &len);
    if (status == srtp_err_status_ok) {
        *rtp_len = (size_t)len;
    }
    return status;
}

srtp_err_status_t parley_srtp3_protect_rtcp(srtp_t ctx,
                                            const uint8_t *rtcp,
                                            size_t rtcp_len,
                                            uint8_t *srtcp,
                                            size_t *srtcp_len,
                                            size_t mki_index)
{
    srtp_err_status_t status;
    int len;

    if (srtcp_len == NULL || mki_index != 0) {
        return srtp_err_status_bad_param;
    }
    /* After an RTCP packet libsrtp 2 may write the SRTCP index (4 bytes) and the trailer. */
    status = parley_prepare_out(rtcp, rtcp_len, srtcp, *srtcp_len, SRTP_MAX_TRAILER_LEN + 4);
    if (status != srtp_err_status_ok) {
        return status;
    }
    len = (int)rtcp_len;
    status = srtp_protect_rtcp(ctx, srtcp, &len);
    if (status == srtp_err_status_ok) {
        *srtcp_len = (size_t)len;
    }
    return status;
}

srtp_err_status_t parley_srtp3_unprotect_rtcp(srtp_t ctx,
                                              const uint8_t *srtcp,
                                              size_t srtcp_len,
                                              uint8_t *rtcp,
                                              size_t *rtcp_len)
{
    srtp_err_status_t status;
    int len;

    if (rtcp_len == NULL) {
        return srtp_err_status_bad_param;
    }
    status = parley_prepare_out(srtcp, srtcp_len, rtcp, *rtcp_len, 0);
    if (status != srtp_err_status_ok) {
        return status;
    }
    len = (int)srtcp_len;
    status = srtp_unprotect_rtcp(ctx, rtcp, &len);
    if (status == srtp_err_status_ok) {
        *rtcp_len = (size_t)len;
    }
    return status;
}

srtp_err_status_t parley_srtp3_stream_remove(srtp_t session, uint32_t ssrc)
{
    return srtp_remove_stream(session, ssrc);
}
