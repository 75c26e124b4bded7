/** A local stand-in for Vapi's call API and transport socket, with scripted behaviours, for tests, demo and load runs. */
package io.voxgate.testkit.vapi;
