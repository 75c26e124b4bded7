/** Audio formats and pooled frames: the vocabulary every media stage speaks. */
package io.voxgate.core.audio;
