/** The composition root: command line, configuration, wiring of edges and agents, health and metrics. */
package io.voxgate.app;
