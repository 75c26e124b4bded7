/** Test support: leak detection that fails tests. */
package io.voxgate.websocket.testing;
