/** Voice activity detection for barge-in: per-frame speech decisions over an adaptive noise floor. */
package io.voxgate.core.vad;
