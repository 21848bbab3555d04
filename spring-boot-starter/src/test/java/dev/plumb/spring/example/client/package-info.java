/** The example's client application (a package of its own: component scanning). */
package dev.plumb.spring.example.client;
