/** JMH benchmarks of the media path; each class mirrors the package it measures. */
package io.voxgate.benchmarks;
