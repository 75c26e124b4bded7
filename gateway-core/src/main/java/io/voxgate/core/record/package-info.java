/** Call recording on the media path: a per-call tap that copies what each side heard into the node's recording ring. */
package io.voxgate.core.record;
