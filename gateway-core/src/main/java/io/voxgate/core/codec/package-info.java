/** ITU-T G.711 mu-law and A-law codecs, bit-exact, table driven and allocation free. */
package io.voxgate.core.codec;
