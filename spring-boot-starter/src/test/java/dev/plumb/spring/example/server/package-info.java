/** The example's server application (a package of its own: component scanning). */
package dev.plumb.spring.example.server;
