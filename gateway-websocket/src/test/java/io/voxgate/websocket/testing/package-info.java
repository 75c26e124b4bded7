/** Test support: leak detection that fails tests, and a raw WebSocket client for hostile inputs. */
package io.voxgate.websocket.testing;
