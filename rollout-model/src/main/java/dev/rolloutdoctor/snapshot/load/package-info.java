/**
 * Internal: how the loader turns input entries into objects: recognising bundle layouts from entry paths,
 * parsing documents item by item, and attaching pod logs. Not API.
 */
package dev.rolloutdoctor.snapshot.load;
