/** Call recordings on disk: the writer thread that drains the recording ring into stereo WAV files. */
package io.voxgate.app.recording;
