/**
 * Many nodes, one cluster: the control state the nodes share in Redis (which node owns which call, node liveness and
 * readiness, the cluster-wide call limit) and the routing of a call's commands to the node that runs it. Media is
 * never shared: a call lives and ends on one node. Redis is touched only on this package's own threads, never on a
 * media loop.
 */
package io.voxgate.app.cluster;
