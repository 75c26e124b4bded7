/** Configuration: one option table read from defaults, the environment, a config file and flags, validated once. */
package io.voxgate.app.config;
