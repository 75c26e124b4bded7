/** HEP3 (Homer Encapsulation Protocol v3): SIP messages mirrored to a capture node, encoded and sent off the signalling threads. */
package io.voxgate.sip.hep;
