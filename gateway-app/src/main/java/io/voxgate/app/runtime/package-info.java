/** The running gateway: edges, agents, call registry, health and metrics wired together, and its drain. */
package io.voxgate.app.runtime;
