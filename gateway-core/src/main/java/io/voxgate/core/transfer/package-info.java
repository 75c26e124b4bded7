/**
 * Handing a call to another party: the request (target, announcement, who asked), the states a transfer moves
 * through, and the node's counters per outcome. The edges carry it out (SIP REFER, Twilio call update).
 */
package io.voxgate.core.transfer;
