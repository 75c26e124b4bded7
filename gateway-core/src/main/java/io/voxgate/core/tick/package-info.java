/** The media clock of an event loop: one ticker per loop wakes every 2 ms and ticks the calls of both edges on it. */
package io.voxgate.core.tick;
