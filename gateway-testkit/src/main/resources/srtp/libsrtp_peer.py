"""An independent SRTP peer for the cross-check test: libsrtp through Debian's python3-pylibsrtp.

Reads from stdin one line "PROFILE KEY_HEX MODE" (MODE: protect_rtp, unprotect_rtp, protect_rtcp,
unprotect_rtcp), then one packet in hex per line; writes each result in hex, one per line, or "ERR <reason>".
"""
import sys

from pylibsrtp import Error, Policy, Session

PROFILES = {
    "AES_CM_128_HMAC_SHA1_80": Policy.SRTP_PROFILE_AES128_CM_SHA1_80,
    "AES_CM_128_HMAC_SHA1_32": Policy.SRTP_PROFILE_AES128_CM_SHA1_32,
    "AEAD_AES_128_GCM": Policy.SRTP_PROFILE_AEAD_AES_128_GCM,
}

profile, key_hex, mode = sys.stdin.readline().split()
outbound = mode.startswith("protect")
policy = Policy(key=bytes.fromhex(key_hex),
                ssrc_type=Policy.SSRC_ANY_OUTBOUND if outbound else Policy.SSRC_ANY_INBOUND,
                srtp_profile=PROFILES[profile])
session = Session(policy=policy)
operation = getattr(session, {"protect_rtp": "protect", "unprotect_rtp": "unprotect",
                              "protect_rtcp": "protect_rtcp", "unprotect_rtcp": "unprotect_rtcp"}[mode])
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    try:
        print(operation(bytes.fromhex(line)).hex())
    except Error as error:
        print("ERR " + str(error))
    sys.stdout.flush()
