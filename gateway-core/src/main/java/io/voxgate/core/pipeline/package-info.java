/** Per-call inbound and outbound media pipelines, the paced outbound queue and the pre-connect buffer. */
package io.voxgate.core.pipeline;
