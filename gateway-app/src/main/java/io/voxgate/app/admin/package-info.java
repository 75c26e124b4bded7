/** The admin listener's calls API: list, inspect and hang up the calls running on this node, behind a bearer token. */
package io.voxgate.app.admin;
