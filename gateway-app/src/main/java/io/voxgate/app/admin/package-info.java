/**
 * The admin listener's calls API: list this node's calls, and inspect, hang up, transfer and record any call of the
 * cluster (on the node that runs it), behind a bearer token.
 */
package io.voxgate.app.admin;
