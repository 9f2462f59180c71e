/*
 * Parley: the <srtp.h> the mediasoup worker includes, giving it the libsrtp 3 names it calls on top
 * of libsrtp 2.5 (see parley_srtp3_on_srtp2.h).
 *
 * libsrtp 2 declares srtp_policy_t (a struct) and srtp_create/protect/unprotect with other
 * signatures than libsrtp 3. Those declarations are renamed while libsrtp 2's header is read, so
 * they cannot clash with the libsrtp 3 names defined below; nothing refers to the renamed ones.
 */
#ifndef PARLEY_SRTP3_FACADE_H
#define PARLEY_SRTP3_FACADE_H

#define srtp_policy_t parley_srtp2_policy_t
#define srtp_create parley_srtp2_create_hidden
#define srtp_protect parley_srtp2_protect_hidden
#define srtp_unprotect parley_srtp2_unprotect_hidden
#define srtp_protect_rtcp parley_srtp2_protect_rtcp_hidden
#define srtp_unprotect_rtcp parley_srtp2_unprotect_rtcp_hidden
#include <srtp2/srtp.h>
#undef srtp_policy_t
#undef srtp_create
#undef srtp_protect
#undef srtp_unprotect
#undef srtp_protect_rtcp
#undef srtp_unprotect_rtcp

#include "parley_srtp3_on_srtp2.h"

#define srtp_err_status_buffer_small PARLEY_SRTP_ERR_BUFFER_SMALL
#define srtp_err_status_cryptex_err PARLEY_SRTP_ERR_CRYPTEX

#define srtp_policy_t parley_srtp3_policy_t
#define srtp_policy_create parley_srtp3_policy_create
#define srtp_policy_destroy parley_srtp3_policy_destroy
#define srtp_policy_set_ssrc parley_srtp3_policy_set_ssrc
#define srtp_policy_set_profile parley_srtp3_policy_set_profile
#define srtp_policy_add_key parley_srtp3_policy_add_key
#define srtp_policy_set_allow_repeat_tx parley_srtp3_policy_set_allow_repeat_tx
#define srtp_policy_set_window_size parley_srtp3_policy_set_window_size
#define srtp_create parley_srtp3_create
#define srtp_protect parley_srtp3_protect
#define srtp_unprotect parley_srtp3_unprotect
#define srtp_protect_rtcp parley_srtp3_protect_rtcp
#define srtp_unprotect_rtcp parley_srtp3_unprotect_rtcp
#define srtp_stream_remove parley_srtp3_stream_remove

#endif
