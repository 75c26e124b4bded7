/** RFC 6455 frames read in place from received bytes and written straight into pooled buffers, for both WebSocket legs. */
package io.voxgate.websocket.frame;
