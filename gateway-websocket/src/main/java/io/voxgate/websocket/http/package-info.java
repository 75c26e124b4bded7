/** The shared HTTP/1.1 and WebSocket server on which the edges and the launcher register their endpoints. */
package io.voxgate.websocket.http;
