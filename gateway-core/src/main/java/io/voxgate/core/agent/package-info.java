/** The VoiceAgent port and the embedded agents (echo, parrot) that need no account. */
package io.voxgate.core.agent;
