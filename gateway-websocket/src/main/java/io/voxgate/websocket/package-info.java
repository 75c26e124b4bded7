/** The WebSocket edges: Twilio Media Streams (package twilio) and the Vapi transport adapter (package vapi). */
package io.voxgate.websocket;
