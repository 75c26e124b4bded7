/** RTP over UDP (RFC 3550/3551): packet layout, port allocation, receive filtering and paced sending. */
package io.voxgate.sip.rtp;
