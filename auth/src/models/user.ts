import mongoose from 'mongoose';
import { apiJSONWithout } from '@ticketing/common';
import { Password } from '../services/password';

interface UserAttrs {
  email: string;
  password: string;
}

export interface UserDoc extends mongoose.Document, UserAttrs {}

interface UserModel extends mongoose.Model<UserDoc> {
  build(attrs: UserAttrs): UserDoc;
}

const userSchema = new mongoose.Schema<UserDoc, UserModel>(
  {
    email: { type: String, required: true, unique: true },
    password: { type: String, required: true },
  },
  { toJSON: apiJSONWithout('password') },
);

userSchema.pre('save', async function hashPassword() {
  if (this.isModified('password')) this.password = await Password.toHash(this.password);
});

userSchema.statics.build = (attrs: UserAttrs) => new User(attrs);

export const User = mongoose.model<UserDoc, UserModel>('User', userSchema);
