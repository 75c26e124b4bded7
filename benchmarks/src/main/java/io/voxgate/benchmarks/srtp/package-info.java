/** JMH benchmarks of SRTP: protect and unprotect of one telephony packet. */
package io.voxgate.benchmarks.srtp;
