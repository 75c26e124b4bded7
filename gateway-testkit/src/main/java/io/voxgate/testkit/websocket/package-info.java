/** A raw WebSocket client over a plain socket, for feeding the gateway's WebSocket server hostile frames. */
package io.voxgate.testkit.websocket;
