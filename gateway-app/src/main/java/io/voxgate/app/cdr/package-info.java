/** Call detail records: one JSON line per ended call, written off the call threads by a writer thread. */
package io.voxgate.app.cdr;
