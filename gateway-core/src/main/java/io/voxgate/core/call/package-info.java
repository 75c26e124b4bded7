/** The call model: CallSession lifecycle, the CallRegistry and the command ring that is the only way into a call. */
package io.voxgate.core.call;
